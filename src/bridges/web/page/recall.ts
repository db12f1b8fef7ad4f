/** Up and Down in the message box recall the lines typed before, as in a terminal. */
export class Recall {
  private readonly lines: string[] = [];
  private at = 0;

  constructor(private readonly input: HTMLInputElement) {
    input.addEventListener('keydown', (e) => this.key(e));
  }

  /** A line was sent: it can be recalled from now on. */
  push(line: string): void {
    this.lines.push(line);
    this.at = this.lines.length;
  }

  private key(e: KeyboardEvent): void {
    if ((e.key !== 'ArrowUp' && e.key !== 'ArrowDown') || this.lines.length === 0) return;
    e.preventDefault();
    this.at = Math.max(0, Math.min(this.lines.length, this.at + (e.key === 'ArrowUp' ? -1 : 1)));
    this.input.value = this.lines[this.at] ?? '';
  }
}
