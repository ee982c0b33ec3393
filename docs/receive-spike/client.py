# Opens N loopback connections to the spike (spike.cs) and holds them: client.py PORT N SECONDS
import socket, sys, time
port=int(sys.argv[1]); n=int(sys.argv[2]); hold=float(sys.argv[3])
socks=[]
for i in range(n):
    s=socket.socket(); s.connect(('127.0.0.1',port)); socks.append(s)
time.sleep(hold)
