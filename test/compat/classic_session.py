"""A scripted session against ics-chat, speaking the classic framing the way the course's
chat_utils.mysend/myrecv do: the header counts characters of the str, json.dumps defaults,
and receives in a loop until the header's count of characters has arrived.

usage: python3 classic_session.py PORT   -> one JSON line per observed reply/push on stdout
"""
import json
import socket
import sys

SIZE_SPEC = 5


def mysend(s, msg):
    msg = ('0' * SIZE_SPEC + str(len(msg)))[-SIZE_SPEC:] + str(msg)
    data = msg.encode()
    sent = 0
    while sent < len(data):
        n = s.send(data[sent:])
        if n == 0:
            raise RuntimeError('server disconnected')
        sent += n


def myrecv(s):
    size = ''
    while len(size) < SIZE_SPEC:
        text = s.recv(SIZE_SPEC - len(size)).decode()
        if not text:
            return ''
        size += text
    size = int(size)
    msg = ''
    while len(msg) < size:
        text = s.recv(size - len(msg)).decode()
        if not text:
            break
        msg += text
    return msg


def user(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.connect(('127.0.0.1', port))
    return s


def ask(s, obj):
    mysend(s, json.dumps(obj))
    return json.loads(myrecv(s))


def show(label, obj):
    print(json.dumps({'step': label, 'got': obj}), flush=True)


port = int(sys.argv[1])
zz, peter = user(port), user(port)
show('login zz', ask(zz, {'action': 'login', 'name': 'zz'}))
show('login dup', ask(peter, {'action': 'login', 'name': 'zz'}))
show('login peter', ask(peter, {'action': 'login', 'name': 'peter'}))
show('time', ask(zz, {'action': 'time'}))
show('list', ask(zz, {'action': 'list'}))
show('poem 3', ask(zz, {'action': 'poem', 'target': '3'}))
show('poem 0', ask(zz, {'action': 'poem', 'target': '0'}))
show('connect', ask(zz, {'action': 'connect', 'target': 'peter'}))
show('push to peter', json.loads(myrecv(peter)))
mysend(zz, json.dumps({'action': 'exchange', 'from': '[zz]', 'message': 'Hi peter, caf\u00e9?'}))
show('exchange to peter', json.loads(myrecv(peter)))
show('search', ask(peter, {'action': 'search', 'target': 'peter'}))
mysend(peter, json.dumps({'action': 'disconnect'}))
show('disconnect to zz', json.loads(myrecv(zz)))
zz.close()
peter.close()
