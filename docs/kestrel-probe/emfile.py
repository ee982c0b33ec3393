import socket, subprocess, time, os, signal
def free():
    s=socket.socket(); s.bind(("127.0.0.1",0)); p=s.getsockname()[1]; s.close(); return p
def cpu(pid):
    f=open(f"/proc/{pid}/stat").read().split(")")[1].split(); return (int(f[11])+int(f[12]))/os.sysconf("SC_CLK_TCK")
# find baseline fds
port=free(); log=f"./e{port}.txt"
p=subprocess.Popen(["dotnet","bin/Release/net10.0/kprobe.dll",str(port),"2"],stdout=open(log,"w"),stderr=subprocess.STDOUT)
while "listening" not in open(log).read(): time.sleep(0.05)
base=len(os.listdir(f"/proc/{p.pid}/fd")); p.send_signal(signal.SIGTERM); p.wait()
for extra in (3,6):
    limit=base+extra; port=free(); log=f"./e{port}.txt"
    p=subprocess.Popen(["prlimit",f"--nofile={limit}:{limit}","dotnet","bin/Release/net10.0/kprobe.dll",str(port),"2"],stdout=open(log,"w"),stderr=subprocess.STDOUT)
    while "listening" not in open(log).read() and p.poll() is None: time.sleep(0.05)
    socks=[]
    for i in range(20):
        try: s=socket.create_connection(("127.0.0.1",port),timeout=2); s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n"); socks.append(s)
        except Exception: pass
    time.sleep(0.5); c0=cpu(p.pid); time.sleep(3); c1=cpu(p.pid)
    for s in socks: s.close()
    time.sleep(1)
    try:
        y=socket.create_connection(("127.0.0.1",port),timeout=3); y.settimeout(5); y.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"); r=y.recv(40)
    except Exception as e: r=repr(e)
    t=time.time(); p.send_signal(signal.SIGTERM)
    try: p.wait(timeout=15); ex=p.returncode
    except subprocess.TimeoutExpired: ex="none"; p.kill()
    lines=open(log).read().splitlines()
    print(f"limit {limit} (baseline {base} fds): alive during EMFILE, CPU {c1-c0:.2f} s in 3 s; after freeing: {r[:20]!r}; SIGTERM exit {ex} after {(time.time()-t)*1000:.0f} ms; log lines {len(lines)}")
    print("  ", [l for l in lines if "rror" in l or "fail" in l or "emory" in l][:3])
