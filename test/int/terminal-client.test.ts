/** The real terminal client process, driven through its stdin, against the real server. */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ClassicClient } from '../helpers/classic-client.js';
import { Proc } from '../helpers/process.js';
import { ROOT, startTestServer, type TestServer } from '../helpers/server.js';

let srv: TestServer;
const procs: Proc[] = [];
const clients: ClassicClient[] = [];

beforeEach(async () => {
  srv = await startTestServer();
});
afterEach(async () => {
  for (const p of procs.splice(0)) p.kill();
  for (const c of clients.splice(0)) c.socket.destroy();
  await srv.destroy();
});

function client(): Proc {
  const p = new Proc(process.execPath, [`${ROOT}dist/client/main.js`, '-d', `127.0.0.1:${srv.tcpPort}`]);
  procs.push(p);
  return p;
}

it('goes through login, who, c, chat, bye, ?, p 3 and q with the classic screens', async () => {
  const bob = await ClassicClient.login(srv.tcpPort, 'bob');
  clients.push(bob);
  const alice = client();
  await alice.expectOut('Welcome to ICS chat\nPlease enter your name: \n');
  alice.type('bob');
  await alice.expectOut('Duplicate username, try again\n');
  alice.type('alice');
  await alice.expectOut('++++ Choose one of the following commands\n');
  await alice.expectOut('Welcome, alice!\n');

  alice.type('who');
  await alice.expectOut("Here are all the users in the system:\nUsers: ------------\n{'bob': 0, 'alice': 0}\nGroups: -----------\n{}\n\n");

  alice.type('c bob');
  await alice.expectOut(`You are connected with bob\nConnect to bob. Chat away!\n\n${'-'.repeat(35)}\n\n`);
  expect(await bob.next('connect')).toMatchObject({ status: 'request', from: 'alice' });

  bob.send({ action: 'exchange', from: '[bob]', message: 'hi alice' });
  await alice.expectOut('[bob]hi alice\n');
  alice.type('hello bob');
  expect(await bob.next('exchange')).toMatchObject({ from: '[alice]', message: 'hello bob' });
  alice.type('who');
  expect(await bob.next('exchange')).toMatchObject({ message: 'who' });

  alice.type('bye');
  await alice.expectOut('You are disconnected from bob\n\n++++ Choose one of the following commands\n');
  expect(await bob.next('exchange')).toMatchObject({ message: 'bye' });
  expect(await bob.next('disconnect')).toMatchObject({ msg: 'everyone left, you are alone' });

  alice.type('? hello');
  await alice.expectOut(/\(\d\d\.\d\d\.\d\d,\d\d:\d\d\) alice : hello bob\n\n/);
  alice.type('?nothing-here');
  await alice.expectOut("'nothing-here' not found\n");
  alice.type('p 3');
  await alice.expectOut('III.\n\nLook in thy glass and tell the face thou viewest\n');
  await alice.expectOut('Die single and thine image dies with thee.\n\n');
  alice.type('p3');
  await alice.expectOut('III.\n\n');
  alice.type('p 999');
  await alice.expectOut('Sonnet 999 not found');
  alice.type('time');
  await alice.expectOut(/Time is: \d\d\.\d\d\.\d\d,\d\d:\d\d\n/);
  alice.type('nonsense');
  await alice.expectOut('++++ Choose one of the following commands\n');
  alice.type('q');
  await alice.expectOut('See you next time!\n');
  expect(await alice.exited()).toBe(0);
});

it('prints a push that arrives while another reply is awaited, and a group dissolving', async () => {
  const bob = await ClassicClient.login(srv.tcpPort, 'bob');
  clients.push(bob);
  const alice = client();
  alice.type('alice');
  await alice.expectOut('Welcome, alice!\n');
  bob.send({ action: 'connect', target: 'alice' });
  alice.type('p 18');
  await alice.expectOut(`Request from bob\nYou are connected with bob. Chat away!\n\n${'-'.repeat(36)}\n`);
  alice.type('/p 18');
  await alice.expectOut('XVIII.\n\nShall I compare thee');
  bob.send({ action: 'disconnect' });
  await alice.expectOut('++++ Choose one of the following commands\n');
  alice.type('c bob');
  await alice.expectOut('You are connected with bob\n');
});

it('says so and exits when the server goes away', async () => {
  const alice = client();
  alice.type('alice');
  await alice.expectOut('Welcome, alice!\n');
  await srv.stop();
  await alice.expectOut('The chat server closed the connection.\n');
  expect(await alice.exited()).toBe(1);
});

it('says so when there is no server', async () => {
  const port = srv.tcpPort;
  await srv.stop();
  const p = new Proc(process.execPath, [`${ROOT}dist/client/main.js`, '-d', `127.0.0.1:${port}`]);
  procs.push(p);
  await p.expectOut(`Cannot reach the chat server at 127.0.0.1:${port}`);
  expect(await p.exited()).toBe(1);
});
