#!/usr/bin/python3
"""Bench rig: the JACK server killed (SIGKILL) and started again at once, over and over, while the daemon plays a
simulated walk to a synth. After each restart a fresh synth peer (python3-rtmidi, as a replugged synth or a2jmidid
bridging it again) opens its port, and the script reports how long until it hears a note again, how many it heard,
and whether the daemon is still running; at the end the daemon's exit code.

usage: scripts/dev/jack-restart-bench.py [--dll PATH] [--restarts 8] [--period 15]
Needs jackd (scripts/deps/midi.apt), Debian's python3-rtmidi and a Release build of src/IolaEdge.Daemon. Runs its own
JACK server (dummy backend, 48 kHz, period 256, named iolaedge-bench-PID); the daemon's log goes to the file --log names.
"""
import argparse, os, signal, subprocess, sys, threading, time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
RECEIVER = os.path.join(ROOT, "tests", "IolaEdge.Midi.Tests", "Support", "rtmidi_receiver.py")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dll", default=os.path.join(ROOT, "src/IolaEdge.Daemon/bin/Release/net10.0/iolaedge.dll"))
    ap.add_argument("--restarts", type=int, default=8)
    ap.add_argument("--period", type=float, default=15, help="seconds of play before the first restart and after each")
    ap.add_argument("--log", default="jack-restart-bench.log", help="the daemon's output")
    a = ap.parse_args()
    if not os.path.exists(a.dll):
        sys.exit(f"jack-restart-bench: {a.dll} not found: dotnet build -c Release src/IolaEdge.Daemon first")
    env = dict(os.environ, JACK_DEFAULT_SERVER=f"iolaedge-bench-{os.getpid()}", JACK_NO_START_SERVER="1")
    heard = []  # time.monotonic_ns() of each note-on the synths received

    def start_jackd():
        p = subprocess.Popen(["jackd", "--no-realtime", "-d", "dummy", "--rate", "48000", "--period", "256",
                              "--capture", "0", "--playback", "0"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while subprocess.run(["jack_lsp"], env=env, capture_output=True).returncode != 0:
            if p.poll() is not None or time.monotonic() > deadline:
                sys.exit("jack-restart-bench: jackd did not start")
            time.sleep(0.01)
        return p

    def start_synth():
        p = subprocess.Popen(["/usr/bin/python3", RECEIVER, "bench-synth", "10000000", "1000000"], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)

        def read():
            for line in p.stdout:
                parts = line.split()
                if len(parts) == 2 and parts[0][:1] == "9":  # a note-on, any channel
                    heard.append(int(parts[1]))
        threading.Thread(target=read, daemon=True).start()
        return p

    jackd, synth = start_jackd(), start_synth()
    seconds = int(a.period * (a.restarts + 1) + 5)
    with open(a.log, "w") as log:
        daemon = subprocess.Popen(["dotnet", a.dll, "run", "--source", f"sim:seed=1,minutes={seconds // 60 + 1}", "--midi", "jack",
                                   "--midi-port", "name:bench-synth:in", "--duration", str(seconds), "--progress", "0",
                                   "--set", "Realtime:Policy=Other", "--set", "Events:LogEachFootfall=false"],
                                  env=env, stdout=log, stderr=subprocess.STDOUT)
        time.sleep(a.period)
        recovered = []
        for n in range(1, a.restarts + 1):
            jackd.send_signal(signal.SIGKILL)
            jackd.wait()
            synth.kill()
            synth.wait()
            killed = time.monotonic_ns()
            jackd, synth = start_jackd(), start_synth()
            ready_ms = (time.monotonic_ns() - killed) / 1e6
            time.sleep(a.period)
            after = [t for t in heard if t > killed]
            first = f"{(after[0] - killed) / 1e6:.0f} ms" if after else "never"
            recovered.append(bool(after))
            state = "running" if daemon.poll() is None else f"exited with {daemon.returncode}"
            print(f"restart {n}: jackd ready after {ready_ms:.0f} ms; first note heard {first} after the kill; "
                  f"{len(after)} note-ons in {a.period:.0f} s; daemon {state}", flush=True)
        daemon.wait()
    synth.kill()
    # SIGTERM, not SIGKILL: a killed server leaves its entry in JACK's shared registry, which holds 8 servers and
    # reclaims a dead one's entry only for a server of the same name ("Too many servers already active").
    jackd.terminate()
    jackd.wait()
    print(f"heard again after {sum(recovered)} of {a.restarts} restarts; daemon exit code {daemon.returncode}")
    return 0 if all(recovered) and daemon.returncode == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
