# The services of the nmap agreement test's host (NmapAgreementTest), run inside its network
# namespace: a TCP port that accepts and closes, and a UDP DNS port that answers every query with
# REFUSED (a valid DNS reply: the agent's validator and nmap's -sU both count it as an answer).
# Both dual-stack. Prints "ready" once bound; runs until killed.
import socket, struct, sys, threading

tcp_port, dns_port = int(sys.argv[1]), int(sys.argv[2])

def dual_stack(kind):
    s = socket.socket(socket.AF_INET6, kind)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    return s

tcp = dual_stack(socket.SOCK_STREAM)
tcp.bind(("::", tcp_port))
tcp.listen(64)
dns = dual_stack(socket.SOCK_DGRAM)
dns.bind(("::", dns_port))

def accept_and_close():
    while True:
        connection, _ = tcp.accept()
        connection.close()

threading.Thread(target=accept_and_close, daemon=True).start()
print("ready", flush=True)
while True:
    query, peer = dns.recvfrom(2048)
    if len(query) >= 12:
        flags = struct.unpack("!H", query[2:4])[0] | 0x8000 | 0x0005  # QR, RCODE 5 REFUSED
        dns.sendto(query[:2] + struct.pack("!H", flags) + query[4:], peer)
