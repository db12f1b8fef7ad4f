/**
 * The "Keep this name" dialog: a new password typed twice, checked against the shared rule
 * before it is sent, and the server's answer shown in place. A modal <dialog> keeps the focus
 * inside it and closes on Escape. The password leaves the fields as soon as it is sent.
 */
import { passwordProblem } from '../../../core/password-rule.js';
import { byId } from './dom.js';

export class RegisterDialog {
  private readonly dialog = byId<HTMLDialogElement>('register-dialog');
  private readonly password = byId<HTMLInputElement>('register-password');
  private readonly repeat = byId<HTMLInputElement>('register-repeat');
  private readonly error = byId('register-error');
  private readonly submit = byId<HTMLButtonElement>('register-submit');
  private readonly title = byId('register-title');

  /** `send` gets the chosen password; it returns false when it could not be sent. */
  constructor(private readonly send: (password: string) => boolean) {
    byId<HTMLFormElement>('register-form').addEventListener('submit', (e) => {
      e.preventDefault();
      this.submitted();
    });
    byId('register-cancel').addEventListener('click', () => this.close());
    this.dialog.addEventListener('close', () => this.clear());
  }

  get isOpen(): boolean {
    return this.dialog.open;
  }

  open(name: string): void {
    this.title.textContent = `Keep the name ${name}`;
    this.clear();
    if (!this.dialog.open) this.dialog.showModal();
    this.password.focus();
  }

  close(): void {
    if (this.dialog.open) this.dialog.close();
  }

  /** The server refused: say why, and let the user try again. */
  refused(msg: string): void {
    this.submit.disabled = false;
    this.fail(`Not registered: ${msg}.`);
  }

  private submitted(): void {
    const password = this.password.value;
    const problem = passwordProblem(password);
    if (problem) return this.fail(`${problem.charAt(0).toUpperCase()}${problem.slice(1)}.`);
    if (this.repeat.value !== password) return this.fail('The two passwords differ: type the same one twice.', this.repeat);
    if (!this.send(password)) return this.fail('Not connected to the server; try again in a moment.');
    this.password.value = '';
    this.repeat.value = '';
    this.error.textContent = '';
    this.submit.disabled = true;
  }

  private fail(msg: string, field: HTMLInputElement = this.password): void {
    this.error.textContent = msg;
    field.select();
    field.focus();
  }

  private clear(): void {
    this.password.value = '';
    this.repeat.value = '';
    this.error.textContent = '';
    this.submit.disabled = false;
  }
}
