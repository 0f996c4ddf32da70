/** A few DOM helpers: elements are built with properties and children, never from HTML strings. */

type Child = Node | string | number | null | undefined | false;

export type Props<K extends keyof HTMLElementTagNameMap> = Partial<
  Omit<HTMLElementTagNameMap[K], 'style' | 'children' | 'dataset'>
> & {
  readonly className?: string;
  readonly dataset?: Readonly<Record<string, string>>;
  readonly attrs?: Readonly<Record<string, string>>;
};

export const h = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props<K> | null = null,
  ...children: readonly (Child | readonly Child[])[]
): HTMLElementTagNameMap[K] => {
  const el = document.createElement(tag);
  if (props) {
    const { dataset, attrs, ...rest } = props;
    Object.assign(el, rest);
    for (const [k, v] of Object.entries(dataset ?? {})) el.dataset[k] = v;
    for (const [k, v] of Object.entries(attrs ?? {})) el.setAttribute(k, v);
  }
  append(el, children);
  return el;
};

const append = (parent: Node, children: readonly (Child | readonly Child[])[]): void => {
  for (const child of children) {
    if (Array.isArray(child)) append(parent, child);
    else if (child instanceof Node) parent.appendChild(child);
    else if (child !== null && child !== undefined && child !== false)
      parent.appendChild(document.createTextNode(String(child)));
  }
};

/** Replaces the children of `el`. */
export const render = (el: Element, ...children: readonly (Child | readonly Child[])[]): void => {
  el.replaceChildren();
  append(el, children);
};

/** A labelled form control: `<label>` wrapping its text and the control. */
export const field = (label: string, control: HTMLElement, hint?: string): HTMLLabelElement =>
  h(
    'label',
    { className: 'field' },
    h('span', { className: 'field-label' }, label),
    control,
    hint ? h('small', { className: 'hint' }, hint) : null,
  );

export const select = (
  name: string,
  options: readonly (readonly [value: string, label: string])[],
  value = '',
): HTMLSelectElement =>
  h(
    'select',
    { name },
    options.map(([v, label]) => h('option', { value: v, selected: v === value }, label)),
  );

/** A status line: polite live region. */
export const loading = (what: string): HTMLElement =>
  h('p', { className: 'status loading', attrs: { role: 'status' } }, `Loading ${what}…`);
