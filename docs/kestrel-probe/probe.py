import socket, subprocess, time, sys, os, signal
def free():
    s=socket.socket(); s.bind(("127.0.0.1",0)); p=s.getsockname()[1]; s.close(); return p
def rss(pid):
    for l in open(f"/proc/{pid}/status"):
        if l.startswith("VmRSS"): return int(l.split()[1])//1024
def cpu(pid):
    f=open(f"/proc/{pid}/stat").read().split(")")[1].split(); return (int(f[11])+int(f[12]))/os.sysconf("SC_CLK_TCK")
def start(limit=None):
    port=free()
    cmd=(["prlimit",f"--nofile={limit}:{limit}"] if limit else [])+["dotnet","bin/Release/net10.0/kprobe.dll",str(port),"2"]
    log=open(f"./out{port}.txt","w")
    p=subprocess.Popen(cmd,stdout=log,stderr=subprocess.STDOUT,text=True)
    while "listening" not in open(f"./out{port}.txt").read(): time.sleep(0.05)
    p.logpath=f"./out{port}.txt"
    return p,port
# 1: half-sent request at SIGTERM
p,port=start(); time.sleep(0.5); print("idle RSS MiB", rss(p.pid))
s=socket.create_connection(("127.0.0.1",port)); s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n")
time.sleep(0.3); t=time.time(); p.send_signal(signal.SIGTERM); p.wait(); print("half-sent: exit", p.returncode, "after %.0f ms"%((time.time()-t)*1000)); s.close()
# 2: over the cap: 9th connection
p,port=start(); held=[socket.create_connection(("127.0.0.1",port)) for _ in range(8)]; time.sleep(0.3)
x=socket.create_connection(("127.0.0.1",port)); x.settimeout(3); x.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
try: print("9th connection got:", x.recv(200)[:60])
except Exception as e: print("9th connection:", repr(e))
for h in held: h.close()
p.send_signal(signal.SIGTERM); p.wait()
# 3: 600 held at nofile 512
p,port=start(512); socks=[]; fails=0
for i in range(600):
    try: socks.append(socket.create_connection(("127.0.0.1",port),timeout=2))
    except Exception as e: fails+=1
c0=cpu(p.pid); time.sleep(3); c1=cpu(p.pid)
print(f"600 connects at nofile 512: {len(socks)} connected, {fails} failed; alive={p.poll() is None}; CPU over 3 s idle: {c1-c0:.2f} s; fds={len(os.listdir(f'/proc/{p.pid}/fd'))}")
# can a new client be served after freeing?
for s_ in socks: s_.close()
time.sleep(1)
try:
    y=socket.create_connection(("127.0.0.1",port),timeout=3); y.settimeout(3); y.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"); print("after freeing:", y.recv(100)[:20])
except Exception as e: print("after freeing:", repr(e))
socks=[]
for i in range(600):
    try: socks.append(socket.create_connection(("127.0.0.1",port),timeout=2))
    except Exception: pass
for s_ in socks[:5]: s_.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
t=time.time(); p.send_signal(signal.SIGTERM)
try: p.wait(timeout=20); print("SIGTERM with 600 held at nofile 512: exit", p.returncode, "after %.0f ms"%((time.time()-t)*1000))
except subprocess.TimeoutExpired: print("no exit in 20 s"); p.kill()
print(open(p.logpath).read().splitlines()[-1])
