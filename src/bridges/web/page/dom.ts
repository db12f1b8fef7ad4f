/**
 * Building DOM from data. Every string becomes a text node (`append` never parses HTML), so
 * no user text can turn into markup: the page never touches innerHTML.
 */

export type Child = Node | string | null | undefined | false;

export interface Props {
  class?: string;
  /** Attributes, set verbatim (aria-*, datetime, type, ...). */
  attrs?: Record<string, string>;
  onclick?: () => void;
}

/** Creates an element with props and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props.class) el.className = props.class;
  for (const [k, v] of Object.entries(props.attrs ?? {})) el.setAttribute(k, v);
  if (props.onclick) el.addEventListener('click', props.onclick);
  for (const child of children) if (child !== null && child !== undefined && child !== false) el.append(child);
  return el;
}

/** The element with this id; the page is broken without it. */
export function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page has no #${id}`);
  return el as T;
}
