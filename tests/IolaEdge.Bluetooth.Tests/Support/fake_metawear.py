#!/usr/bin/python3
"""Test rig for IolaEdge.Bluetooth: a fake MetaWear board inside python3-dbusmock's bluez5 template.

Two halves:
* a command-line controller (run by the C# fixture with DBUS_SYSTEM_BUS_ADDRESS set) that adds the
  adapter, the device and its GATT objects, removes them, and reads the mock's call logs;
* board logic imported *inside* the dbusmock process by the command characteristic's WriteValue
  body: it answers module-info reads and, once started, emits accelerometer notifications encoded
  from a walk CSV (x,y,z in g per line) on the notify characteristic.

Protocol bytes follow metawear-protocol.md (MetaWear C++ SDK): module info 03 80 -> 03 80 impl rev,
config 03 03 b0 b1, subscribe 03 <reg> 01, enable 03 02 01 00, start 03 01 01, stop 03 01 00.
Sample counter (§8): remove all 09 08, create accounter 09 02 03 04 ff a0 11 30 03 -> 09 02 <id>,
route its output 09 07 <id> 01 + 09 03 01; each sample is then 09 03 <id> count(u32) x y z. The
board numbers every sample it takes; samples listed in the config's `drop` are taken (counted) but
never sent, as if lost over the air.
Packer + accounter chain (what the session creates): packer on the plain signal 09 02 03 04 ff a0 10 05 01
-> 09 02 <p>, accounter on its output 09 02 09 03 <p> a0 11 30 03 -> 09 02 <a>; the board takes a sample
every tick and, every second one, sends 09 03 <a> count(u32) x0 y0 z0 x1 y1 z1 (19 bytes), the count
numbering the packer's outputs (the accounter's inputs), so 100 notifications/s at 200 Hz. With the
chain, `drop` lists notification indices (each loses two samples), counted but never sent.
Gyroscope (config `gyro=1`; gyro_bosch.cpp / gyro_bosch_register.h): module info 13 80 -> 13 80 0 1 (MMR,
BMI160) or 13 80 1 0 (MMS, BMI270); without it 13 80 (absent). Config 13 03 b0 b1, enable 13 02 01 00,
start 13 01 01, stop 13 01 00. A packer on the plain rotation signal 09 02 13 <05|04> ff a0 10 05 01 and an
accounter behind it number the gyro stream like the acceleration one: the board takes row n of the walk
for both sensors at tick n (x y z in g, then gx gy gz in deg/s, 16.4 LSB per deg/s at +-2000 deg/s); the
gyroscope takes its first sample `gyro_delay` ticks after its start, and `gdrop` lists its notification
indices lost over the air.
Battery (settings module 0x11, register 0x0c; settings.cpp / datainterpreter.cpp): the read 11 8c is answered
11 8c charge(u8) voltage(u16 LE) from the config's `battery` = 'PCT:MV' (default 100:4150), 'off' for a board that
never answers, or 'hex:...' for a raw reply (malformed ones); `battery_reads` in the stats counts the reads.
"""
import json
import os
import sys
import time

MOCK = 'org.freedesktop.DBus.Mock'
CHRC = 'org.bluez.GattCharacteristic1'
SERVICE_UUID = '326a9000-85cb-9195-d9dd-464cfbbae75a'
COMMAND_UUID = '326a9001-85cb-9195-d9dd-464cfbbae75a'
NOTIFY_UUID = '326a9006-85cb-9195-d9dd-464cfbbae75a'
HERE = os.path.dirname(os.path.abspath(__file__))


def paths(address, adapter='hci0'):
    dev = f'/org/bluez/{adapter}/dev_' + address.upper().replace(':', '_')
    svc = dev + '/service000a'
    return dev, svc, svc + '/char000b', svc + '/char000d'


# ---------------------------------------------------------------- board (runs inside dbusmock)

def _board(cmd):
    fb = getattr(cmd, 'fb', None)
    if fb is None:
        cfg = getattr(cmd, 'fake_cfg', {})
        walk = []
        if cfg.get('walk'):
            with open(cfg['walk'], encoding='utf-8') as f:
                for line in f:
                    parts = line.strip().split(',')
                    if len(parts) in (3, 6):
                        walk.append(tuple(float(p) for p in parts))
        fb = cmd.fb = {'model': cfg.get('model', 'MMR'), 'range': 0x03, 'odr': 0x28, 'sub': set(),
                       'dataint': False, 'power': False, 'timer': 0, 'n': 0, 'sent': 0,
                       'interval': int(cfg.get('interval_ms', 15)), 'per_tick': int(cfg.get('per_tick', 1)),
                       'walk': walk, 'emit_ns': [], 'procs': {}, 'next_proc': 0, 'acct': None, 'notes': 0, 'pack': [],
                       'count0': int(cfg.get('count_start', 0)),
                       'drop': set(int(x) for x in str(cfg.get('drop', '')).split(':') if x != ''), 'dropped': 0,
                       'gyro': bool(int(cfg.get('gyro', 0))), 'gyro_delay': int(cfg.get('gyro_delay', 0)),
                       'gdrop': set(int(x) for x in str(cfg.get('gdrop', '')).split(':') if x != ''),
                       'gcfg': [0x28, 0x00], 'gdataint': False, 'gpower': False, 'gstart': None, 'gacct': None,
                       'gpack': [], 'gnotes': 0, 'gsent': 0, 'gdropped': 0, 'gsamples': 0, 'gfirst': None,
                       'battery': str(cfg.get('battery', '100:4150')), 'battery_reads': 0}
    return fb


def _send(ntf, data):
    import dbus
    import dbus.lowlevel
    msg = dbus.lowlevel.SignalMessage(ntf.path, 'org.freedesktop.DBus.Properties', 'PropertiesChanged')
    msg.append('org.bluez.GattCharacteristic1',
               {'Value': dbus.Array(data, signature='y', variant_level=1)},
               dbus.Array([], signature='s'), signature='sa{sv}as')
    ntf.connection.send_message(msg)


def _scale(fb):
    r = fb['range'] & 0x0f
    if fb['model'] == 'MMS':
        return {0: 16384, 1: 8192, 2: 4096, 3: 2048}[r]
    return {3: 16384, 5: 8192, 8: 4096, 0x0c: 2048}[r]


def _encode(fb, i):
    g = fb['walk'][i]
    out = []
    for a in g[:3]:
        n = max(-32768, min(32767, int(round(a * _scale(fb)))))
        out += [n & 0xff, (n >> 8) & 0xff]
    return out


def _encode_gyro(fb, i):
    row = fb['walk'][i]
    out = []
    for w in row[3:6] if len(row) == 6 else (0.0, 0.0, 0.0):
        n = max(-32768, min(32767, int(round(w * 16.4))))
        out += [n & 0xff, (n >> 8) & 0xff]
    return out


def _gyro_reg(fb):
    return 0x04 if fb['model'] == 'MMS' else 0x05


def _gyro_sample(fb, ntf, n):
    """Tick n seen by the gyroscope: into its packer; a full packer is one notification of its accounter."""
    if fb['gacct'] is None or not (fb['gdataint'] and fb['gpower']) or fb['gstart'] is None or n < fb['gstart'] + fb['gyro_delay']:
        return
    fb['gpack'].append(n)
    fb['gsamples'] += 1
    if len(fb['gpack']) < 2:
        return
    m = fb['gnotes']
    fb['gnotes'] += 1
    pair, fb['gpack'] = fb['gpack'], []
    if m in fb['gdrop']:
        fb['gdropped'] += len(pair)
        return
    c = m & 0xffffffff
    _send(ntf, [9, 3, fb['gacct'], c & 0xff, (c >> 8) & 0xff, (c >> 16) & 0xff, (c >> 24) & 0xff] + _encode_gyro(fb, pair[0]) + _encode_gyro(fb, pair[1]))
    fb['gsent'] += 1


def _packed_reg(fb):
    return 0x05 if fb['model'] == 'MMS' else 0x1c


def _tick(fb, ntf, objects):
    if not (fb['dataint'] and fb['power']) or objects.get(ntf.path) is not ntf:
        fb['timer'] = 0
        return False
    packed = _packed_reg(fb) in fb['sub']
    counted = fb['acct'] is not None
    chained = counted and fb['procs'].get(fb['acct'], ('', None))[1] is not None
    per_packet = 3 if packed and not counted else 1
    for _ in range(fb['per_tick']):
        if fb['n'] + per_packet > len(fb['walk']):
            fb['timer'] = 0
            return False  # walk exhausted: the stream ends
        if chained:
            # one sample per tick into the packer; a full packer is one accounter input, one notification
            _gyro_sample(fb, ntf, fb['n'])
            fb['pack'].append(fb['n'])
            fb['n'] += 1
            if len(fb['pack']) < 2:
                continue
            m = fb['notes']
            fb['notes'] += 1
            pair, fb['pack'] = fb['pack'], []
            if m in fb['drop']:
                fb['dropped'] += len(pair)
                continue  # counted by the board, lost over the air
            c = (fb['count0'] + m) & 0xffffffff
            data = [9, 3, fb['acct'], c & 0xff, (c >> 8) & 0xff, (c >> 16) & 0xff, (c >> 24) & 0xff] + _encode(fb, pair[0]) + _encode(fb, pair[1])
            fb['emit_ns'].append(time.monotonic_ns())
            _send(ntf, data)
            fb['sent'] += 1
            continue
        if counted:
            n = fb['n']
            fb['n'] += 1
            if n in fb['drop']:
                fb['dropped'] += 1
                continue  # counted by the board, lost over the air
            c = (fb['count0'] + n) & 0xffffffff
            data = [9, 3, fb['acct'], c & 0xff, (c >> 8) & 0xff, (c >> 16) & 0xff, (c >> 24) & 0xff] + _encode(fb, n)
            fb['emit_ns'].append(time.monotonic_ns())
            _send(ntf, data)
            fb['sent'] += 1
            continue
        if packed:
            data = [3, _packed_reg(fb)]
            for k in range(3):
                data += _encode(fb, fb['n'] + k)
        elif 0x04 in fb['sub']:
            data = [3, 4] + _encode(fb, fb['n'])
        else:
            return True
        fb['emit_ns'].append(time.monotonic_ns())
        _send(ntf, data)
        fb['n'] += per_packet
        fb['sent'] += 1
    return True


def _restart(fb, ntf, objects):
    from gi.repository import GLib
    if fb['timer']:
        GLib.source_remove(fb['timer'])
        fb['timer'] = 0
    if fb['dataint'] and fb['power']:
        fb['timer'] = GLib.timeout_add(fb['interval'], _tick, fb, ntf, objects)


def on_write(cmd, args, objects):
    """WriteValue(value, options) on the command characteristic."""
    import dbus
    v = [int(b) for b in args[0]]
    fb = _board(cmd)
    ntf = objects[cmd.path.rsplit('/', 1)[0] + '/char000d']
    dev = objects[cmd.path.split('/service', 1)[0]]
    mms = fb['model'] == 'MMS'
    info = {0x03: [3, 0x80, 4, 0] if mms else [3, 0x80, 1, 1], 0x11: [0x11, 0x80, 0, 3], 0xfe: [0xfe, 0x80, 0, 2]}
    if fb['gyro']:
        info[0x13] = [0x13, 0x80, 1, 0] if mms else [0x13, 0x80, 0, 1]
    if len(v) == 2 and v[1] == 0x80:
        _send(ntf, info.get(v[0], [v[0], 0x80]))
    elif v == [0x11, 0x8c]:
        fb['battery_reads'] += 1
        reply = _battery_reply(fb['battery'])
        if reply is not None:
            _send(ntf, reply)
    elif v[:2] == [3, 3] and len(v) == 4:
        fb['odr'], fb['range'] = v[2], v[3]
    elif len(v) == 3 and v[0] == 3 and v[1] in (0x04, _packed_reg(fb)):
        (fb['sub'].add if v[2] else fb['sub'].discard)(v[1])
    elif v[:2] == [3, 2] and len(v) == 4:
        fb['dataint'] = bool(v[2])
        _restart(fb, ntf, objects)
    elif v[:2] == [3, 1] and len(v) == 3:
        fb['power'] = v[2] != 0
        _restart(fb, ntf, objects)
    elif fb['gyro'] and v[:2] == [0x13, 3] and len(v) == 4:
        fb['gcfg'] = v[2:]
    elif fb['gyro'] and v[:2] == [0x13, 2] and len(v) == 4:
        fb['gdataint'] = bool(v[2])
        fb['gstart'] = fb['n'] if fb['gdataint'] and fb['gpower'] else None
        fb['gfirst'] = fb['gstart'] if fb['gfirst'] is None else fb['gfirst']
    elif fb['gyro'] and v[:2] == [0x13, 1] and len(v) == 3:
        fb['gpower'] = v[2] != 0
        fb['gstart'] = fb['n'] if fb['gdataint'] and fb['gpower'] else None
        fb['gfirst'] = fb['gstart'] if fb['gfirst'] is None else fb['gfirst']
    elif fb['gyro'] and v == [9, 2, 0x13, _gyro_reg(fb), 0xff, 0xa0, 0x10, 0x05, 1]:
        _create(fb, ntf, 'packer', 'gyro')
    elif v == [9, 8]:
        fb['procs'].clear()
        fb['acct'] = None
        fb['gacct'] = None
        fb['pack'] = []
        fb['gpack'] = []
    elif v == [9, 2, 3, 4, 0xff, 0xa0, 0x11, 0x30, 3]:
        _create(fb, ntf, 'acct', None)
    elif v == [9, 2, 3, 4, 0xff, 0xa0, 0x10, 0x05, 1]:
        _create(fb, ntf, 'packer', None)
    elif len(v) == 9 and v[:4] == [9, 2, 9, 3] and v[5:] == [0xa0, 0x11, 0x30, 3] and fb['procs'].get(v[4], ('',))[0] == 'packer':
        _create(fb, ntf, 'acct', v[4])
    elif v[:2] == [9, 7] and len(v) == 4:
        src = fb['procs'].get(fb['procs'].get(v[2], ('', None))[1], ('', None))[1]
        key = 'gacct' if src == 'gyro' else 'acct'  # an accounter behind the gyro packer numbers the gyro stream
        if v[3] and fb['procs'].get(v[2], ('',))[0] == 'acct':
            fb[key] = v[2]
        elif fb[key] == v[2]:
            fb[key] = None
    elif v[:2] == [9, 6] and len(v) == 3:
        fb['procs'].pop(v[2], None)
        for key in ('acct', 'gacct'):
            if fb[key] is not None and (fb[key] not in fb['procs'] or fb['procs'][fb[key]][1] not in (None, *fb['procs'])):
                fb[key] = None  # its processor, or the packer it reads, is gone
    elif v == [0xfe, 6]:
        fb['power'] = False
        _restart(fb, ntf, objects)
        dev.UpdateProperties('org.bluez.Device1', {'Connected': dbus.Boolean(False), 'ServicesResolved': dbus.Boolean(False)})


def _battery_reply(spec):
    """The board's answer to 11 8c: None (no answer), a raw reply, or charge % and mV encoded as the SDK decodes them."""
    if spec == 'off':
        return None
    if spec.startswith('hex:'):
        return list(bytes.fromhex(spec[4:]))
    pct, mv = (int(x) for x in spec.split(':'))
    return [0x11, 0x8c, pct, mv & 0xff, (mv >> 8) & 0xff]


def _create(fb, ntf, kind, source):
    """A new processor (kind, source processor id or None for the accelerometer), answered 09 02 <id>."""
    pid = fb['next_proc']
    fb['next_proc'] += 1
    fb['procs'][pid] = (kind, source)
    _send(ntf, [9, 2, pid])


def stats(cmd):
    fb = _board(cmd)
    return json.dumps({'battery_reads': fb['battery_reads'], 'gsent': fb['gsent'], 'gdropped': fb['gdropped'], 'gnotes': fb['gnotes'], 'gsamples': fb['gsamples'],
                       'gcfg': fb['gcfg'], 'gpower': fb['gpower'], 'gstart': fb['gfirst'],
                       'sent': fb['sent'], 'samples': fb['n'], 'dropped': fb['dropped'], 'procs': sorted(fb['procs']), 'notes': fb['notes'], 'emit_ns': fb['emit_ns'],
                       'config': [fb['odr'], fb['range']], 'power': fb['power']})


def stop(cmd, objects):
    fb = _board(cmd)
    fb['power'] = False
    # The rig drops links between two packer outputs: a half-filled packer's sample is taken back, so a
    # board that is reconnected continues the walk without a hole the reconnect tests would have to guess.
    fb['n'] -= len(fb['pack'])
    fb['pack'] = []
    fb['gpack'] = []
    ntf = objects[cmd.path.rsplit('/', 1)[0] + '/char000d']
    _restart(fb, ntf, objects)


# ---------------------------------------------------------------- controller (command line)

def _bus():
    import dbus
    return dbus.bus.BusConnection(os.environ['DBUS_SYSTEM_BUS_ADDRESS'])


def _code(call):
    return (f'import sys\nif {HERE!r} not in sys.path: sys.path.insert(0, {HERE!r})\n'
            f'import fake_metawear\n{call}')


def cmd_wait(_):
    import dbus
    bus = _bus()
    for _ in range(100):
        if bus.name_has_owner('org.bluez'):
            return
        time.sleep(0.05)
    raise SystemExit('org.bluez did not appear')


def cmd_setup(a):
    import dbus
    bus = _bus()
    root = bus.get_object('org.bluez', '/')
    dev, svc, cmd, ntf = paths(a['address'])
    if not any(p == '/org/bluez/hci0' for p in root.GetManagedObjects(dbus_interface='org.freedesktop.DBus.ObjectManager')):
        root.AddAdapter('hci0', 'iolaedge-test', dbus_interface='org.bluez.Mock')
    root.AddDevice('hci0', a['address'].upper(), a.get('name', 'MetaWear'), dbus_interface='org.bluez.Mock')
    d = bus.get_object('org.bluez', dev)
    # As in real BlueZ, services resolve only once the GATT objects exist; here also only once the
    # board is configured (FakeGattReady below), so a client that connects during setup cannot talk
    # to a board that does not know its walk yet.
    d.AddMethod('org.bluez.Device1', 'Connect', '', '',
                'self.UpdateProperties("org.bluez.Device1", {"Connected": dbus.Boolean(True), '
                '"ServicesResolved": dbus.Boolean(getattr(self, "gatt_ready", False))})',
                dbus_interface=MOCK)
    d.AddMethod('org.bluez.Device1', 'Disconnect', '', '',
                'self.UpdateProperties("org.bluez.Device1", {"Connected": dbus.Boolean(False), "ServicesResolved": dbus.Boolean(False)})',
                dbus_interface=MOCK)
    d.AddMethod(MOCK, 'FakeGattReady', '', '',
                'self.gatt_ready = True\n'
                'if self.props["org.bluez.Device1"].get("Connected"):\n'
                '    self.UpdateProperties("org.bluez.Device1", {"ServicesResolved": dbus.Boolean(True)})',
                dbus_interface=MOCK)
    u = lambda s: dbus.String(s, variant_level=1)
    o = lambda s: dbus.ObjectPath(s, variant_level=1)
    q = lambda n: dbus.UInt16(n, variant_level=1)
    b = lambda x: dbus.Boolean(x, variant_level=1)
    ay = lambda: dbus.Array([], signature='y', variant_level=1)
    fl = lambda *f: dbus.Array(list(f), signature='s', variant_level=1)
    svc_p = {'UUID': u(SERVICE_UUID), 'Device': o(dev), 'Primary': b(True), 'Handle': q(0x0a)}
    cmd_p = {'UUID': u(COMMAND_UUID), 'Service': o(svc), 'Value': ay(),
             'Flags': fl('read', 'write-without-response', 'write'), 'Handle': q(0x0b), 'MTU': q(23)}
    ntf_p = {'UUID': u(NOTIFY_UUID), 'Service': o(svc), 'Value': ay(), 'Flags': fl('notify'),
             'Notifying': b(False), 'Handle': q(0x0d), 'MTU': q(23)}
    cfg = json.dumps({'model': a.get('model', 'MMR'), 'walk': a.get('walk', ''),
                      'interval_ms': int(a.get('interval_ms', 15)), 'per_tick': int(a.get('per_tick', 1)),
                      'drop': a.get('drop', ''), 'count_start': int(a.get('count_start', 0)),
                      'gyro': int(a.get('gyro', 0)), 'gyro_delay': int(a.get('gyro_delay', 0)), 'gdrop': a.get('gdrop', ''),
                      'battery': a.get('battery', '100:4150')})
    root.AddObject(svc, 'org.bluez.GattService1', svc_p, [], dbus_interface=MOCK)
    root.AddObject(cmd, CHRC, cmd_p, [
        ('WriteValue', 'aya{sv}', '', _code('fake_metawear.on_write(self, args, objects)')),
        ('FakeStats', '', 's', _code('ret = fake_metawear.stats(self)')),
        ('FakeStop', '', '', _code('fake_metawear.stop(self, objects)')),
    ], dbus_interface=MOCK)
    root.AddObject(ntf, CHRC, ntf_p, [
        ('StartNotify', '', '', 'self.UpdateProperties("org.bluez.GattCharacteristic1", {"Notifying": dbus.Boolean(True)})'),
        ('StopNotify', '', '', 'self.UpdateProperties("org.bluez.GattCharacteristic1", {"Notifying": dbus.Boolean(False)})'),
    ], dbus_interface=MOCK)
    # the board reads its configuration from an attribute set through a mock method call
    c = bus.get_object('org.bluez', cmd)
    c.AddMethod(CHRC, 'FakeConfigure', 's', '', 'import json\nself.fake_cfg = json.loads(args[0])', dbus_interface=MOCK)
    c.FakeConfigure(cfg, dbus_interface=CHRC)
    for path, iface, props in ((svc, 'org.bluez.GattService1', svc_p), (cmd, CHRC, cmd_p), (ntf, CHRC, ntf_p)):
        root.EmitSignal('org.freedesktop.DBus.ObjectManager', 'InterfacesAdded', 'oa{sa{sv}}',
                        [dbus.ObjectPath(path), dbus.Dictionary({iface: dbus.Dictionary(props, signature='sv')}, signature='sa{sv}')],
                        dbus_interface=MOCK)
    d.FakeGattReady(dbus_interface=MOCK)


def cmd_remove(a):
    """Device out of range with BlueZ forgetting it: stop the board, drop GATT and device objects."""
    import dbus
    bus = _bus()
    root = bus.get_object('org.bluez', '/')
    dev, svc, cmd, ntf = paths(a['address'])
    bus.get_object('org.bluez', cmd).FakeStop(dbus_interface=CHRC)
    bus.get_object('org.bluez', dev).UpdateProperties(
        'org.bluez.Device1', {'Connected': dbus.Boolean(False), 'ServicesResolved': dbus.Boolean(False)}, dbus_interface=MOCK)
    for path, iface in ((ntf, CHRC), (cmd, CHRC), (svc, 'org.bluez.GattService1'), (dev, 'org.bluez.Device1')):
        root.RemoveObject(path, dbus_interface=MOCK)
        root.EmitSignal('org.freedesktop.DBus.ObjectManager', 'InterfacesRemoved', 'oas',
                        [dbus.ObjectPath(path), dbus.Array([iface], signature='s')], dbus_interface=MOCK)


def cmd_calls(a):
    """Method calls the client made on one object (the rig's Fake* controls left out): JSON [[method, [hex bytes or value...]], ...]."""
    bus = _bus()
    dev, svc, cmd, ntf = paths(a['address'])
    path = {'device': dev, 'command': cmd, 'notify': ntf, 'adapter': '/org/bluez/hci0'}[a['object']]
    out = []
    for _ts, name, args in bus.get_object('org.bluez', path).GetCalls(dbus_interface=MOCK):
        if str(name).startswith('Fake'):
            continue  # the rig's own controls, not calls the client under test made
        conv = []
        for x in args:
            if hasattr(x, 'signature') and x.signature == 'y':
                conv.append(bytes(int(b) for b in x).hex())
            elif isinstance(x, dict):
                conv.append({str(k): str(v) for k, v in x.items()})
            else:
                conv.append(str(x))
        out.append([str(name), conv])
    print(json.dumps(out))


def cmd_stats(a):
    bus = _bus()
    _dev, _svc, cmd, _ntf = paths(a['address'])
    print(bus.get_object('org.bluez', cmd).FakeStats(dbus_interface=CHRC))


def cmd_disconnect(a):
    """Link dropped (out of range / powered off) while BlueZ keeps the device object."""
    import dbus
    bus = _bus()
    dev, _svc, cmd, _ntf = paths(a['address'])
    bus.get_object('org.bluez', cmd).FakeStop(dbus_interface=CHRC)
    bus.get_object('org.bluez', dev).UpdateProperties(
        'org.bluez.Device1', {'Connected': dbus.Boolean(False), 'ServicesResolved': dbus.Boolean(False)}, dbus_interface=MOCK)


def main(argv):
    verb = argv[1]
    a = dict(x.split('=', 1) for x in argv[2:])
    {'wait': cmd_wait, 'setup': cmd_setup, 'remove': cmd_remove, 'calls': cmd_calls, 'stats': cmd_stats,
     'disconnect': cmd_disconnect}[verb](a)


if __name__ == '__main__':
    main(sys.argv)
