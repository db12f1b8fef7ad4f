import { describe, expect, it } from 'vitest';
import { parseSearchQuery } from '../core/search-query.js';
import { scopedQuery, scopedText } from './scoped-index.js';

describe('scoped index', () => {
  it('scopes every word of a line to its group', () => {
    expect(scopedText(12, "Shall I compare thee to a summer's day?")).toBe('g12xshall g12xi g12xcompare g12xthee g12xto g12xa g12xsummer g12xs g12xday');
    expect(scopedText(3, '...')).toBe('');
  });

  it('builds a query of scoped phrases only, whatever the user typed', () => {
    expect(scopedQuery(parseSearchQuery('love "summer day" NEAR(a) OR x* -y col:z'), 7)).toBe(
      '{body sender} : "g7xlove" AND {body sender} : "g7xsummer g7xday" AND {body sender} : "g7xnear g7xa" AND {body sender} : "g7xor" AND {body sender} : "g7xx" AND {body sender} : "g7xy" AND {body sender} : "g7xcol g7xz"',
    );
  });
});
