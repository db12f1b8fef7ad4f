import { describe, expect, it } from 'vitest';
import { Metrics } from './metrics.js';

function metrics(): Metrics {
  return new Metrics({
    fronts: () => new Map([['tcp', 'listening'], ['web', 'stopped'], ['discord', 'off']] as const),
    users: () => new Map([['tcp', 2]]),
    groups: () => 1,
    historyLines: () => 42,
    indexLag: () => 7,
    indexMerging: () => true,
  });
}

describe('Metrics', () => {
  it('turns what the hub reports into Prometheus counters and histograms', async () => {
    const m = metrics();
    m.received('web', 'exchange');
    m.received('web', 'exchange');
    m.delivered('tcp', { action: 'pong', message: 'x' });
    m.delivered('web', { action: 'error', code: 'bad-json', msg: 'the frame is not valid JSON' });
    m.dropped('web', 'timeout');
    m.fannedOut(0.0003);
    m.searched(0.02);
    m.authenticated('irc', 'wrong-password');
    m.authenticated('irc', 'ok');
    m.authenticated('irc', 'wrong-password');
    const { contentType, body } = await m.text();
    expect(contentType).toMatch(/^text\/plain/);
    for (const line of [
      'ics_chat_messages_in_total{front="web",action="exchange"} 2',
      'ics_chat_messages_out_total{front="tcp",event="pong"} 1',
      'ics_chat_messages_out_total{front="web",event="error"} 1',
      'ics_chat_errors_total{front="web",kind="bad-json"} 1',
      'ics_chat_errors_total{front="web",kind="timeout"} 1',
      'ics_chat_fanout_seconds_bucket{le="0.00025"} 0',
      'ics_chat_fanout_seconds_bucket{le="0.0005"} 1',
      'ics_chat_search_seconds_count 1',
      'ics_chat_logins_total{front="irc",outcome="wrong-password"} 2',
      'ics_chat_logins_total{front="irc",outcome="ok"} 1',
    ]) {
      expect(body.split('\n')).toContain(line);
    }
  });

  it('reads the gauges when scraped: every configured front, even with no users', async () => {
    const lines = (await metrics().text()).body.split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        'ics_chat_front_up{front="tcp"} 1',
        'ics_chat_front_up{front="web"} 0',
        'ics_chat_users{front="tcp"} 2',
        'ics_chat_users{front="web"} 0',
        'ics_chat_groups 1',
        'ics_chat_history_lines 42',
        'ics_chat_search_index_lag_lines 7',
        'ics_chat_search_index_merging 1',
      ]),
    );
    expect(lines.some((l) => l.startsWith('ics_chat_front_up{front="discord"}'))).toBe(false);
  });

  it('adds a cluster node\'s links: the engines it hears, resends, gaps asked, lines given at a take-over, and the bus round trip', async () => {
    const m = metrics();
    const links = m.cluster({ hub: () => true, hubHeard: () => true, bus: () => false });
    links.resent(3);
    links.askedForGap();
    links.acknowledged(0.0004);
    m.refilled(5);
    m.refilled(2);
    expect((await m.text()).body.split('\n')).toEqual(
      expect.arrayContaining([
        'ics_chat_cluster_hub 1',
        'ics_chat_cluster_hub_heard 1',
        'ics_chat_cluster_bus_up 0',
        'ics_chat_cluster_resent_total 3',
        'ics_chat_cluster_gap_asks_total 1',
        'ics_chat_cluster_gap_fill_lines_total 7',
        'ics_chat_cluster_link_seconds_bucket{le="0.0005"} 1',
        'ics_chat_cluster_link_seconds_count 1',
      ]),
    );
  });

  it('keeps each server’s metrics apart', async () => {
    const a = metrics();
    metrics().received('tcp', 'time');
    expect((await a.text()).body).not.toContain('action="time"');
  });
});
