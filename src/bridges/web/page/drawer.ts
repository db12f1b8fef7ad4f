/**
 * On a narrow screen the sidebar (conversations, who is online, look-ups) is a drawer that
 * takes the conversation's place: the top bar's button opens and closes it, Escape closes it,
 * and picking a conversation closes it. On a wide screen the button is hidden and the sidebar
 * always shows, so the drawer's state does not matter there.
 */
export class Drawer {
  constructor(
    private readonly toggle: HTMLButtonElement,
    private readonly view: HTMLElement,
    private readonly sidebar: HTMLElement,
  ) {
    toggle.addEventListener('click', () => (this.isOpen ? this.close(true) : this.open()));
    sidebar.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && this.isOpen) this.close(true);
    });
  }

  get isOpen(): boolean {
    return this.toggle.getAttribute('aria-expanded') === 'true';
  }

  private open(): void {
    this.toggle.setAttribute('aria-expanded', 'true');
    this.view.classList.add('drawer-open');
    this.sidebar.focus();
  }

  /** Closes the drawer; `refocus` puts the keyboard back on its button. */
  close(refocus = false): void {
    if (!this.isOpen) return;
    this.toggle.setAttribute('aria-expanded', 'false');
    this.view.classList.remove('drawer-open');
    if (refocus) this.toggle.focus();
  }

  /** The button's words: the unread lines it hides. */
  count(unread: number): void {
    this.toggle.textContent = unread > 0 ? `Chats (${unread})` : 'Chats';
  }
}
