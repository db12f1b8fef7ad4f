/** The chat page's entry point: finds its elements, connects to /ws and starts the app. */
import { App } from './app.js';
import { byId } from './dom.js';
import { Link } from './link.js';

/** Every element the app drives, by role. */
export interface Elements {
  conn: HTMLElement;
  me: HTMLElement;
  meName: HTMLElement;
  meRegistered: HTMLElement;
  registerOpen: HTMLButtonElement;
  logout: HTMLButtonElement;
  loginView: HTMLElement;
  loginForm: HTMLFormElement;
  name: HTMLInputElement;
  passwordRow: HTMLElement;
  password: HTMLInputElement;
  passwordShow: HTMLButtonElement;
  loginError: HTMLElement;
  loginButton: HTMLButtonElement;
  chatView: HTMLElement;
  menu: HTMLButtonElement;
  sidebar: HTMLElement;
  conversations: HTMLUListElement;
  joinForm: HTMLFormElement;
  joinRoom: HTMLInputElement;
  roster: HTMLUListElement;
  onlineCount: HTMLElement;
  searchForm: HTMLFormElement;
  searchQuery: HTMLInputElement;
  sonnetForm: HTMLFormElement;
  sonnetNumber: HTMLInputElement;
  groupTitle: HTMLElement;
  topic: HTMLElement;
  members: HTMLUListElement;
  leave: HTMLButtonElement;
  log: HTMLElement;
  jump: HTMLButtonElement;
  compose: HTMLFormElement;
  line: HTMLInputElement;
  lineLabel: HTMLElement;
  lineHint: HTMLElement;
}

function elements(): Elements {
  const loginForm = byId<HTMLFormElement>('login-form');
  return {
    conn: byId('conn'),
    me: byId('me'),
    meName: byId('me-name'),
    meRegistered: byId('me-registered'),
    registerOpen: byId('register-open'),
    logout: byId('logout'),
    loginView: byId('login-view'),
    loginForm,
    name: byId('name'),
    passwordRow: byId('password-row'),
    password: byId('password'),
    passwordShow: byId('password-show'),
    loginError: byId('login-error'),
    loginButton: loginForm.querySelector('button[type=submit]')!,
    chatView: byId('chat-view'),
    menu: byId('menu'),
    sidebar: byId('sidebar'),
    conversations: byId('conversations'),
    joinForm: byId('join-form'),
    joinRoom: byId('join-room'),
    roster: byId('roster'),
    onlineCount: byId('online-count'),
    searchForm: byId('search-form'),
    searchQuery: byId('search-q'),
    sonnetForm: byId('sonnet-form'),
    sonnetNumber: byId('sonnet-n'),
    groupTitle: byId('group-title'),
    topic: byId('group-topic'),
    members: byId('members'),
    leave: byId('leave'),
    log: byId('log'),
    jump: byId('jump'),
    compose: byId('compose'),
    line: byId('line'),
    lineLabel: byId('line-label'),
    lineHint: byId('line-hint'),
  };
}

const el = elements();
const app = new App(el);
const url = `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/ws`;
const link = new Link(url, {
  state: (state, retryInMs, reason) => app.linkState(state, retryInMs, reason),
  opened: (again) => app.opened(again),
  event: (event, label) => app.event(event, label),
});
app.attach(link);
window.addEventListener('online', () => link.retryNow());
link.connect();
el.name.focus();
