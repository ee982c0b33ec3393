/*
 * chatload-gen: an IRC load generator independent of the ChatLoad suite (no code shared with it), so that the
 * suite's own figures can be checked against a second instrument. One thread, one epoll loop, non-blocking
 * sockets. Three modes, matching the rows of issue 9's table:
 *
 *   idle     N clients register and join rooms of K, then hold for T seconds; PING round trips are sampled
 *            while they hold (the server's memory per idle client is read by whoever runs this).
 *   fanout   N clients in rooms of K; R PRIVMSG per second in total, round-robin over the senders, each carrying
 *            its send time and the sender's sequence number. Every delivery is checked: latency send -> receive,
 *            and per (sender, recipient) pair which sequence numbers arrived, so loss, duplicates and reordering
 *            are exact.
 *   connect  connect + register + join at R per second asked: the achieved rate, connect/register/join
 *            latencies (from each client's scheduled start, so a late generator is charged to itself and shown),
 *            and the failures by reason.
 *
 * It bounds itself in count (--clients, memory for the pair table) and in time (--timeout, every phase has its own
 * bound), spreads its source addresses over 127.0.0.1..M (--sources) for servers with per-address limits, and
 * reports its own CPU (getrusage), its schedule lag and its run-queue wait (/proc/self/schedstat: time its core was given
 * to other processes), so that its own saturation is never hidden and is told apart from a busy machine. Output: one JSON
 * object (--json PATH, or stdout) and one human line on stderr. Phase lines ("phase: measuring", "phase: measured")
 * go to stdout so an observer can read the server's /proc figures over exactly the measured window.
 *
 * Exit codes: 0 ran (the figures say how the server did), 1 could not run (e.g. nothing connected), 2 bad arguments.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24
#endif

/* ---- limits (each a bound with its reason) ---- */
#define MAX_CLIENTS 100000          /* beyond the machine's descriptor limit anyway; a typo must not allocate GBs */
#define MAX_PAIR_TABLE_BYTES (1024L * 1024 * 1024) /* the per-pair bitmaps; refused above this, with a clear message */
#define READ_CHUNK 65536            /* one shared receive buffer: idle clients hold no buffer of their own */
#define MAX_LINE 4096               /* a longer line is cut; IRC's own limit is 512 (8191 with tags) */
#define MAX_OUT 65536               /* bytes queued to one client's socket before a send counts as blocked */
#define LATE_NS 10000000LL          /* a send or connect more than 10 ms after its schedule counts as late */

enum mode { MODE_IDLE, MODE_FANOUT, MODE_CONNECT };
enum state { ST_FREE, ST_CONNECTING, ST_REGISTERING, ST_JOINING, ST_READY, ST_CLOSED };
enum fail { F_NONE, F_CONNECT, F_CLOSED, F_ERROR_LINE, F_TIMEOUT, F_SOCKET, F_COUNT };
static const char *fail_names[F_COUNT] = {"none", "connect refused or reset", "closed by server", "ERROR from server",
                                          "timed out", "socket() failed"};

struct client {
    int fd;
    uint8_t state;
    uint8_t fail;
    uint8_t planted;          /* closed on purpose by --plant-disconnect */
    uint16_t carry_len;
    char *carry;              /* an incomplete line kept between reads (allocated only while one is pending) */
    char *out;                /* bytes the socket did not take yet */
    uint32_t out_len, out_cap;
    uint32_t seq;             /* messages this client has sent (fanout) */
    int64_t t_sched, t_connected, t_registered, t_joined;
};

/* A latency histogram: log buckets of 1% width from 1 microsecond, the maximum exact. */
#define H_BUCKETS 2400
struct hist { uint64_t n; int64_t max_ns; uint64_t b[H_BUCKETS]; };
static void h_add(struct hist *h, int64_t ns) {
    if (ns < 0) ns = 0;
    h->n++;
    if (ns > h->max_ns) h->max_ns = ns;
    double us = ns / 1000.0;
    int i = us <= 1 ? 0 : (int)(log(us) / log(1.01)) + 1;
    if (i >= H_BUCKETS) i = H_BUCKETS - 1;
    h->b[i]++;
}
static double h_pct_ms(const struct hist *h, double p) {
    if (h->n == 0) return 0;
    uint64_t want = (uint64_t)ceil(p * h->n), seen = 0;
    if (want == 0) want = 1;
    for (int i = 0; i < H_BUCKETS; i++) {
        seen += h->b[i];
        if (seen >= want) {
            double us = i == 0 ? 1 : pow(1.01, i); /* the bucket's upper edge: never flatters */
            double ms = us / 1000.0, max = h->max_ns / 1e6;
            return ms < max ? ms : max;
        }
    }
    return h->max_ns / 1e6;
}

/* ---- options ---- */
static struct {
    enum mode mode;
    const char *host;
    int port;
    int clients, room_size, sources, setup_concurrency, plant_disconnect;
    double rate, duration, warmup, drain, setup_timeout, timeout, linger, ping_rate, reply_timeout, setup_rate;
    const char *json_path, *nick_prefix;
} opt = {MODE_FANOUT, "127.0.0.1", 0, 100, 10, 16, 1000, 0, 100, 10, 2, 3, 60, 0, 1, 100, 10, 1000, NULL, "g"};

static struct client *cl;
static int epfd;
static int64_t t0;
static struct sockaddr_in target;
static int nrooms;
static char *readbuf;
static int *ready_in_room;    /* members that were ready when sending began: the ones a message is expected at */

/* fanout accounting: per (recipient, position of the sender in its room) a bitmap of sequence numbers seen */
static uint8_t *seen;
static uint32_t max_seq;      /* bits per pair */
static uint64_t sent_total, sent_measured, send_blocked, delivered_unique, duplicates, out_of_order, unknown_lines;
static uint64_t delivered_measured, received_in_window, expected_total, lost, lost_planted, lost_other_closed;
static uint32_t *last_seq;    /* highest sequence seen per pair, for reordering */
static struct hist lat, lag, ping_rtt, h_connect, h_register, h_join;
static uint64_t late_sends, pings_sent, pongs;
static int measuring, sending;
static int64_t measure_start, measure_end;
static uint64_t fail_counts[F_COUNT];
static int clients_in_setup;  /* clients between connect() and 366: kept by set_state, so no loop scans the table */

static int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}
static double cpu_seconds(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}
/* Nanoseconds this (one-threaded) process has waited on a run queue, runnable but not running (/proc/self/schedstat's
 * second field); -1 where the kernel does not say. Its CPU can look idle while the machine gave its core to others:
 * this is what tells that apart from a generator that kept up. */
static int64_t runqueue_wait_ns(void) {
    FILE *f = fopen("/proc/self/schedstat", "r");
    if (!f) return -1;
    long long run, wait;
    int n = fscanf(f, "%lld %lld", &run, &wait);
    fclose(f);
    return n == 2 ? wait : -1;
}
static long max_rss_kb(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}
static void die(int code, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "chatload-gen: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    exit(code);
}
static void phase(const char *name) {
    printf("phase: %s %.3f\n", name, (now_ns() - t0) / 1e9);
    fflush(stdout);
}

static int room_of(int i) { return i / opt.room_size; }
static int room_members(int room) {
    int first = room * opt.room_size, last = first + opt.room_size;
    if (last > opt.clients) last = opt.clients;
    return last - first;
}

static int is_setup_state(int st) { return st >= ST_CONNECTING && st <= ST_JOINING; }
/* Every state change goes through here, so clients_in_setup is exact without scanning every client. */
static void set_state(struct client *c, int st) {
    clients_in_setup += is_setup_state(st) - is_setup_state(c->state);
    c->state = (uint8_t)st;
}

/* ---- sockets ---- */
static void watch(int i, uint32_t events, int op) {
    struct epoll_event ev = {.events = events, .data.u32 = (uint32_t)i};
    epoll_ctl(epfd, op, cl[i].fd, &ev);
}
static void close_client(int i, enum fail why) {
    struct client *c = &cl[i];
    if (c->state == ST_CLOSED || c->state == ST_FREE) return;
    if (c->fd >= 0) close(c->fd);
    c->fd = -1;
    if (why != F_NONE && c->fail == F_NONE) { c->fail = why; fail_counts[why]++; }
    set_state(c, ST_CLOSED);
    free(c->carry); c->carry = NULL; c->carry_len = 0;
    free(c->out); c->out = NULL; c->out_len = c->out_cap = 0;
}
/* Sends or queues; returns 0 when the bytes are queued beyond MAX_OUT (the caller counts it as blocked). */
static int send_bytes(int i, const char *p, size_t n) {
    struct client *c = &cl[i];
    if (c->fd < 0) return 0;
    if (c->out_len == 0) {
        ssize_t w = send(c->fd, p, n, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (w == (ssize_t)n) return 1;
        if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK) { close_client(i, F_CLOSED); return 0; }
        if (w > 0) { p += w; n -= w; }
    }
    if (c->out_len + n > MAX_OUT) return 0;
    if (c->out_len + n > c->out_cap) {
        uint32_t cap = c->out_cap ? c->out_cap : 1024;
        while (cap < c->out_len + n) cap *= 2;
        c->out = realloc(c->out, cap);
        c->out_cap = cap;
    }
    memcpy(c->out + c->out_len, p, n);
    if (c->out_len == 0) watch(i, EPOLLIN | EPOLLOUT, EPOLL_CTL_MOD);
    c->out_len += n;
    return 1;
}
static void flush_out(int i) {
    struct client *c = &cl[i];
    while (c->out_len > 0) {
        ssize_t w = send(c->fd, c->out, c->out_len, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (w < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK) return;
            close_client(i, F_CLOSED);
            return;
        }
        memmove(c->out, c->out + w, c->out_len - w);
        c->out_len -= w;
    }
    watch(i, EPOLLIN, EPOLL_CTL_MOD);
}

static void start_connect(int i, int64_t sched) {
    struct client *c = &cl[i];
    c->t_sched = sched;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) { set_state(c, ST_CLOSED); c->fail = F_SOCKET; fail_counts[F_SOCKET]++; return; }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (opt.sources > 1) {
        struct sockaddr_in src = {.sin_family = AF_INET};
        src.sin_addr.s_addr = htonl((127u << 24) | (uint32_t)(1 + i % opt.sources));
        setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
        if (bind(fd, (struct sockaddr *)&src, sizeof src) != 0) { close(fd); set_state(c, ST_CLOSED); c->fail = F_SOCKET; fail_counts[F_SOCKET]++; return; }
    }
    c->fd = fd;
    set_state(c, ST_CONNECTING);
    int r = connect(fd, (struct sockaddr *)&target, sizeof target);
    if (r != 0 && errno != EINPROGRESS) { close_client(i, F_CONNECT); return; }
    watch(i, EPOLLOUT, EPOLL_CTL_ADD);
}

static void on_connected(int i) {
    struct client *c = &cl[i];
    int err = 0;
    socklen_t len = sizeof err;
    getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
    if (err != 0) { close_client(i, F_CONNECT); return; }
    c->t_connected = now_ns();
    set_state(c, ST_REGISTERING);
    watch(i, EPOLLIN, EPOLL_CTL_MOD);
    char buf[160];
    int n = snprintf(buf, sizeof buf, "NICK %s%d\r\nUSER %s%d 0 * :chatload-gen\r\n", opt.nick_prefix, i, opt.nick_prefix, i);
    send_bytes(i, buf, n);
}

/* ---- parsing what the server sends ---- */
static uint64_t parse_u64(const char **p) {
    uint64_t v = 0;
    while (**p >= '0' && **p <= '9') v = v * 10 + (uint64_t)(*(*p)++ - '0');
    return v;
}
/* A delivery: ":nick!u@h PRIVMSG #r3 :t=<ns> s=<sender> q=<seq>" */
static void on_delivery(int recipient, const char *text, int64_t now) {
    const char *p = text;
    if (strncmp(p, "t=", 2) != 0) { unknown_lines++; return; }
    p += 2;
    int64_t t = (int64_t)parse_u64(&p);
    if (strncmp(p, " s=", 3) != 0) { unknown_lines++; return; }
    p += 3;
    uint64_t s = parse_u64(&p);
    if (strncmp(p, " q=", 3) != 0) { unknown_lines++; return; }
    p += 3;
    uint64_t q = parse_u64(&p);
    if (s >= (uint64_t)opt.clients || q == 0 || q > max_seq || room_of((int)s) != room_of(recipient) || (int)s == recipient) { unknown_lines++; return; }
    size_t pair = (size_t)recipient * opt.room_size + (s % opt.room_size);
    uint8_t *bits = seen + pair * ((max_seq + 7) / 8);
    uint32_t bit = (uint32_t)q - 1;
    if (bits[bit >> 3] & (1u << (bit & 7))) { duplicates++; return; }
    bits[bit >> 3] |= (uint8_t)(1u << (bit & 7));
    delivered_unique++;
    if (q < last_seq[pair]) out_of_order++;
    else last_seq[pair] = (uint32_t)q;
    if (measuring && t >= measure_start) { delivered_measured++; h_add(&lat, now - t); }
    if (measuring && !measure_end) received_in_window++; /* the server's work inside the window, for its CPU there */
}

static void on_line(int i, char *line, int len, int64_t now) {
    struct client *c = &cl[i];
    line[len] = 0;
    char *p = line;
    if (*p == '@') { p = strchr(p, ' '); if (!p) return; p++; }   /* message tags: skipped */
    if (*p == ':') {
        char *sp = strchr(p, ' ');
        if (!sp) return;
        p = sp + 1;
    }
    /* p is at the command */
    if (p[0] == 'P' && strncmp(p, "PRIVMSG ", 8) == 0) {
        char *colon = strstr(p + 8, " :");
        if (colon) on_delivery(i, colon + 2, now);
        return;
    }
    if (strncmp(p, "PING ", 5) == 0) {
        char buf[600];
        int n = snprintf(buf, sizeof buf, "PONG %s\r\n", p + 5);
        send_bytes(i, buf, n > (int)sizeof buf - 1 ? (int)sizeof buf - 1 : n);
        return;
    }
    if (strncmp(p, "PONG ", 5) == 0) {
        char *tok = strstr(p, ":p");
        if (!tok) tok = strstr(p, " p");
        if (tok) {
            const char *q = tok + 2;
            int64_t t = (int64_t)parse_u64(&q);
            if (t > 0 && t <= now) { pongs++; if (measuring) h_add(&ping_rtt, now - t); }
        }
        return;
    }
    if (strncmp(p, "ERROR", 5) == 0) { close_client(i, F_ERROR_LINE); return; }
    if (strncmp(p, "001 ", 4) == 0 && c->state == ST_REGISTERING) {
        c->t_registered = now;
        set_state(c, ST_JOINING);
        char buf[64];
        int n = snprintf(buf, sizeof buf, "JOIN #r%d\r\n", room_of(i));
        send_bytes(i, buf, n);
        return;
    }
    if (strncmp(p, "366 ", 4) == 0 && c->state == ST_JOINING) {
        c->t_joined = now;
        set_state(c, ST_READY);
        return;
    }
    if ((strncmp(p, "433 ", 4) == 0 || strncmp(p, "432 ", 4) == 0) && c->state == ST_REGISTERING) {
        close_client(i, F_ERROR_LINE); /* nick refused: a fresh server never should */
    }
}

static void on_readable(int i) {
    struct client *c = &cl[i];
    int keep = c->carry_len;
    if (keep) memcpy(readbuf, c->carry, keep);
    ssize_t n = recv(c->fd, readbuf + keep, READ_CHUNK - keep - 1, 0);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
        close_client(i, c->state == ST_CONNECTING ? F_CONNECT : F_CLOSED);
        return;
    }
    if (n < 0) return;
    int64_t now = now_ns();
    int total = keep + (int)n, start = 0;
    for (int k = 0; k < total; k++) {
        if (readbuf[k] == '\n') {
            int end = k;
            if (end > start && readbuf[end - 1] == '\r') end--;
            on_line(i, readbuf + start, end - start, now);
            if (c->state == ST_CLOSED) return;
            start = k + 1;
        }
    }
    int rest = total - start;
    if (rest > MAX_LINE) rest = 0; /* an overlong line is dropped, not buffered without bound */
    if (rest > 0) {
        if (!c->carry) c->carry = malloc(MAX_LINE + 1);
        memmove(c->carry, readbuf + start, rest);
    } else if (c->carry) {
        free(c->carry);
        c->carry = NULL;
    }
    c->carry_len = (uint16_t)rest;
}

/* Most events handled per epoll_wait. The connect storm lowers it so that its start schedule is looked at between
 * small batches: reading up to 1,024 ready clients (a welcome burst each) before looking again held the starts due
 * meanwhile (first A/B at 20,000 connects/s asked: late starts 8.4% with 1,024, 1.2% with 64). */
#define POLL_BATCH_MAX 1024
static int poll_batch = POLL_BATCH_MAX;
static void poll_once(int timeout_ms) {
    struct epoll_event evs[POLL_BATCH_MAX];
    int n = epoll_wait(epfd, evs, poll_batch, timeout_ms);
    for (int k = 0; k < n; k++) {
        int i = (int)evs[k].data.u32;
        struct client *c = &cl[i];
        if (c->state == ST_CLOSED) continue;
        if (c->state == ST_CONNECTING) {
            if (evs[k].events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) on_connected(i);
            continue;
        }
        if (evs[k].events & EPOLLOUT) flush_out(i);
        if (c->state != ST_CLOSED && (evs[k].events & (EPOLLIN | EPOLLERR | EPOLLHUP))) on_readable(i);
    }
}

static int count_state(int st) {
    int n = 0;
    for (int i = 0; i < opt.clients; i++) n += cl[i].state == st;
    return n;
}
static int in_setup(void) { return clients_in_setup; }

/* Connects every client, at most --setup-concurrency in setup at once and at most --setup-rate per second (a burst
 * of SYNs overflows a short listen backlog, ngIRCd's 10, and then waits on SYN retransmits of 1, 3, 7 s), until all
 * are ready or failed or the setup bound passes. Returns the seconds it took. */
static double setup_clients(int64_t deadline) {
    int64_t start = now_ns();
    int next = 0, busy = 0;
    double rate = opt.setup_rate;
    while (now_ns() < deadline) {
        int64_t now = now_ns();
        while (next < opt.clients && busy < opt.setup_concurrency &&
               (rate <= 0 || next < (now - start) / 1e9 * rate)) {
            start_connect(next++, now);
            busy++;
        }
        poll_once(1);
        busy = in_setup();
        if (next >= opt.clients && busy == 0) break;
    }
    for (int i = 0; i < opt.clients; i++)
        if (cl[i].state != ST_READY) {
            if (cl[i].state == ST_FREE) { set_state(&cl[i], ST_CONNECTING); cl[i].fd = -1; }
            close_client(i, F_TIMEOUT);
        }
    return (now_ns() - start) / 1e9;
}

static volatile sig_atomic_t stop_asked;
static void on_signal(int s) { (void)s; stop_asked = 1; }

/* ---- output ---- */
static FILE *out;
static void jhist(const char *name, const struct hist *h, int comma) {
    fprintf(out, "\"%s\":{\"count\":%llu,\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"max_ms\":%.3f}%s", name,
            (unsigned long long)h->n, h_pct_ms(h, 0.50), h_pct_ms(h, 0.99), h->max_ns / 1e6, comma ? "," : "");
}

static void usage(void) {
    fprintf(stderr,
            "usage: chatload-gen --mode idle|fanout|connect --port P [options]\n"
            "  --host A             server address (default 127.0.0.1)\n"
            "  --clients N          clients (default 100, at most %d)\n"
            "  --room-size K        clients per room #r0, #r1, ... (default 10)\n"
            "  --rate R             fanout: PRIVMSG/s in total (default 100); connect: connects/s asked; idle: the same as --setup-rate\n"
            "  --duration S         measured seconds: fanout sending, idle hold (default 10); connect: bound on completion after the last start\n"
            "                       (connect's achieved rate = joined / (last join - first start), at most --rate; started_per_second = the pace it kept)\n"
            "  --warmup S           fanout: seconds of sending before measuring (default 2)\n"
            "  --drain S            fanout: longest wait for deliveries after sending stops (default 3)\n"
            "  --ping-rate P        idle: PING round trips sampled per second while holding (default 100)\n"
            "  --sources M          source addresses 127.0.0.1..M, round-robin (default 16)\n"
            "  --setup-concurrency C  idle/fanout: most clients in setup at once (default 1000: InspIRCd registers on a 1 Hz tick)\n"
            "  --setup-rate S       idle/fanout: most connects started per second while setting up (default 1000; 0 = no pace)\n"
            "  --setup-timeout S    idle/fanout: bound on connecting everyone (default 60)\n"
            "  --linger S           seconds to hold every connection after 'phase: measured' (default 1)\n"
            "  --plant-disconnect D fanout: D clients close their sockets (no QUIT) halfway through the measured time\n"
            "  --timeout S          hard bound on the whole run (default: the phases' bounds + 30)\n"
            "  --nick-prefix P      nick prefix (default g)\n"
            "  --json PATH          write the result there (default stdout)\n", MAX_CLIENTS);
    exit(2);
}

static double num(const char *name, const char *v, double min, double max) {
    char *end;
    double d = strtod(v, &end);
    if (*v == 0 || *end != 0 || d < min || d > max) die(2, "%s '%s': want a number in [%g, %g]", name, v, min, max);
    return d;
}

int main(int argc, char **argv) {
    int rate_given = 0;
    for (int a = 1; a < argc; a++) {
        const char *k = argv[a];
        if (!strcmp(k, "--help") || !strcmp(k, "-h")) usage();
        if (a + 1 >= argc) die(2, "%s needs a value (try --help)", k);
        const char *v = argv[++a];
        if (!strcmp(k, "--mode")) {
            if (!strcmp(v, "idle")) opt.mode = MODE_IDLE;
            else if (!strcmp(v, "fanout")) opt.mode = MODE_FANOUT;
            else if (!strcmp(v, "connect")) opt.mode = MODE_CONNECT;
            else die(2, "--mode '%s': want idle, fanout or connect", v);
        } else if (!strcmp(k, "--host")) opt.host = v;
        else if (!strcmp(k, "--port")) opt.port = (int)num(k, v, 1, 65535);
        else if (!strcmp(k, "--clients")) opt.clients = (int)num(k, v, 1, MAX_CLIENTS);
        else if (!strcmp(k, "--room-size")) opt.room_size = (int)num(k, v, 1, MAX_CLIENTS);
        else if (!strcmp(k, "--rate")) { opt.rate = num(k, v, 0, 10000000); rate_given = 1; }
        else if (!strcmp(k, "--duration")) opt.duration = num(k, v, 0.1, 3600);
        else if (!strcmp(k, "--warmup")) opt.warmup = num(k, v, 0, 600);
        else if (!strcmp(k, "--drain")) opt.drain = num(k, v, 0, 600);
        else if (!strcmp(k, "--ping-rate")) opt.ping_rate = num(k, v, 0, 100000);
        else if (!strcmp(k, "--sources")) opt.sources = (int)num(k, v, 1, 254);
        else if (!strcmp(k, "--setup-concurrency")) opt.setup_concurrency = (int)num(k, v, 1, MAX_CLIENTS);
        else if (!strcmp(k, "--setup-rate")) opt.setup_rate = num(k, v, 0, 10000000);
        else if (!strcmp(k, "--setup-timeout")) opt.setup_timeout = num(k, v, 1, 3600);
        else if (!strcmp(k, "--linger")) opt.linger = num(k, v, 0, 600);
        else if (!strcmp(k, "--plant-disconnect")) opt.plant_disconnect = (int)num(k, v, 0, MAX_CLIENTS);
        else if (!strcmp(k, "--timeout")) opt.timeout = num(k, v, 1, 36000);
        else if (!strcmp(k, "--nick-prefix")) opt.nick_prefix = v;
        else if (!strcmp(k, "--json")) opt.json_path = v;
        else die(2, "unknown option %s (try --help)", k);
    }
    if (opt.port == 0) die(2, "--port is required");
    if (opt.mode == MODE_IDLE && rate_given) opt.setup_rate = opt.rate; /* idle: --rate is the setup's pace */
    if (opt.room_size > opt.clients) opt.room_size = opt.clients;
    if (opt.mode == MODE_CONNECT && opt.rate <= 0) die(2, "--mode connect needs --rate > 0");
    if (opt.mode == MODE_FANOUT && opt.rate <= 0) die(2, "--mode fanout needs --rate > 0");
    if (opt.plant_disconnect >= opt.clients) die(2, "--plant-disconnect must leave some clients");
    if (strlen(opt.nick_prefix) > 20) die(2, "--nick-prefix is at most 20 characters");
    memset(&target, 0, sizeof target);
    target.sin_family = AF_INET;
    target.sin_port = htons((uint16_t)opt.port);
    if (inet_pton(AF_INET, opt.host, &target.sin_addr) != 1) die(2, "--host '%s' is not an IPv4 address", opt.host);
    nrooms = (opt.clients + opt.room_size - 1) / opt.room_size;

    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) { rl.rlim_cur = rl.rlim_max; setrlimit(RLIMIT_NOFILE, &rl); }
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && (rlim_t)opt.clients + 16 > rl.rlim_cur)
        die(2, "--clients %d needs more descriptors than the limit %llu", opt.clients, (unsigned long long)rl.rlim_cur);

    double bound_setup = opt.mode == MODE_CONNECT ? opt.clients / opt.rate + opt.duration : opt.setup_timeout;
    if (opt.timeout <= 0) opt.timeout = bound_setup + opt.warmup + opt.duration + opt.drain + opt.linger + 30;

    if (opt.mode == MODE_FANOUT) {
        /* Each sender sends about rate/clients per second; the bitmap holds twice that, plus slack. */
        double per_sender = opt.rate / opt.clients * (opt.warmup + opt.duration);
        max_seq = (uint32_t)(per_sender * 2 + 64);
        size_t bytes = (size_t)opt.clients * opt.room_size * ((max_seq + 7) / 8);
        if (bytes > MAX_PAIR_TABLE_BYTES) die(2, "the pair table would need %zu MB: fewer clients, smaller rooms or a shorter run", bytes >> 20);
        seen = calloc(bytes, 1);
        last_seq = calloc((size_t)opt.clients * opt.room_size, sizeof *last_seq);
        if (!seen || !last_seq) die(1, "out of memory for the pair table");
    }
    cl = calloc(opt.clients, sizeof *cl);
    readbuf = malloc(READ_CHUNK);
    epfd = epoll_create1(EPOLL_CLOEXEC);
    if (!cl || !readbuf || epfd < 0) die(1, "could not allocate clients or epoll");
    for (int i = 0; i < opt.clients; i++) cl[i].fd = -1;
    signal(SIGPIPE, SIG_IGN);
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);

    t0 = now_ns();
    int64_t hard_deadline = t0 + (int64_t)(opt.timeout * 1e9);
    double cpu_start = cpu_seconds(), cpu_measure_start = 0, cpu_measure_end = 0;
    int64_t rq_measure_start = 0, rq_measure_end = 0;
    double setup_s = 0, measured_s = 0;
    int ready = 0, planted_done = 0;
    double started_per_second = 0;
    uint64_t late_connects = 0;

    if (opt.mode == MODE_CONNECT) {
        /* client i starts at t0 + i/rate; each start's lateness is the generator's schedule lag */
        phase("measuring");
        measuring = 1;
        measure_start = now_ns();
        cpu_measure_start = cpu_seconds(); rq_measure_start = runqueue_wait_ns();
        int next = 0;
        int64_t last_start_at = measure_start;
        poll_batch = 64;
        int64_t last_start_deadline = measure_start + (int64_t)(opt.clients / opt.rate * 1e9);
        int64_t done_deadline = last_start_deadline + (int64_t)(opt.duration * 1e9);
        int64_t last_done = measure_start;
        while (!stop_asked) {
            int64_t now = now_ns();
            while (next < opt.clients) {
                int64_t sched = measure_start + (int64_t)(next / opt.rate * 1e9);
                if (sched > now) break;
                h_add(&lag, now - sched);
                if (now - sched > LATE_NS) late_connects++;
                start_connect(next++, sched);
                last_start_at = now;
            }
            poll_once(1);
            if (next >= opt.clients && in_setup() == 0) break;
            if (now_ns() > done_deadline || now_ns() > hard_deadline) break;
        }
        for (int i = 0; i < opt.clients; i++) {
            struct client *c = &cl[i];
            if (c->state == ST_READY) {
                ready++;
                if (c->t_joined > last_done) last_done = c->t_joined;
                h_add(&h_join, c->t_joined - c->t_sched);
            }
            if (c->t_connected) h_add(&h_connect, c->t_connected - c->t_sched);
            if (c->t_registered) h_add(&h_register, c->t_registered - c->t_sched);
            if (c->state != ST_READY && c->state != ST_CLOSED) {
                if (c->state == ST_FREE) { set_state(c, ST_CONNECTING); c->fd = -1; }
                close_client(i, F_TIMEOUT);
            }
        }
        measure_end = now_ns();
        cpu_measure_end = cpu_seconds(); rq_measure_end = runqueue_wait_ns();
        measuring = 0;
        poll_batch = POLL_BATCH_MAX;
        /* The pace this generator itself kept: every start over the time to the last one (the first starts at 0). */
        started_per_second = next > 1 && last_start_at > measure_start ? (next - 1) / ((last_start_at - measure_start) / 1e9) : 0;
        /* The storm's own length: from its start to the last join, never shorter than it was asked to take. */
        double asked_s = opt.clients / opt.rate;
        measured_s = (last_done - measure_start) / 1e9;
        if (measured_s < asked_s) measured_s = asked_s;
        phase("measured");
    } else {
        setup_s = setup_clients(t0 + (int64_t)(opt.setup_timeout * 1e9));
        ready = count_state(ST_READY);
        if (ready == 0) die(1, "no client got through connect + register + join (%s)", fail_counts[F_CONNECT] ? "connections refused" : "see the server's log");
        if (opt.mode == MODE_IDLE) {
            phase("measuring");
            measuring = 1;
            measure_start = now_ns();
            cpu_measure_start = cpu_seconds(); rq_measure_start = runqueue_wait_ns();
            int64_t end = measure_start + (int64_t)(opt.duration * 1e9);
            uint64_t pinged = 0;
            int rr = 0;
            while (!stop_asked && now_ns() < end && now_ns() < hard_deadline) {
                int64_t now = now_ns();
                uint64_t due = (uint64_t)((now - measure_start) / 1e9 * opt.ping_rate);
                while (pinged < due) {
                    for (int tries = 0; tries < opt.clients && cl[rr].state != ST_READY; tries++) rr = (rr + 1) % opt.clients;
                    if (cl[rr].state == ST_READY) {
                        char buf[64];
                        int n = snprintf(buf, sizeof buf, "PING :p%lld\r\n", (long long)now_ns());
                        send_bytes(rr, buf, n);
                        pings_sent++;
                    }
                    rr = (rr + 1) % opt.clients;
                    pinged++;
                }
                poll_once(2);
            }
            measure_end = now_ns();
            cpu_measure_end = cpu_seconds(); rq_measure_end = runqueue_wait_ns();
            measured_s = (measure_end - measure_start) / 1e9;
            phase("measured");
            ready = count_state(ST_READY); /* held to the end */
        } else {
            /* fanout: messages k = 0, 1, 2 ... at t_start + k/rate, from the k-th sender in turn (skipping closed ones) */
            sending = 1;
            ready_in_room = calloc(nrooms, sizeof *ready_in_room);
            for (int i = 0; i < opt.clients; i++) if (cl[i].state == ST_READY) ready_in_room[room_of(i)]++;
            int64_t send_start = now_ns();
            int64_t warm_end = send_start + (int64_t)(opt.warmup * 1e9);
            int64_t send_end = warm_end + (int64_t)(opt.duration * 1e9);
            int64_t plant_at = warm_end + (int64_t)(opt.duration / 2 * 1e9);
            /* Senders take turns across the rooms (the first member of every room, then the second ...): in index
             * order a room's members would send back to back, so each room would get its share of the rate as one
             * burst per cycle, which lets a server gather many lines per recipient into one write and is not the
             * even load --rate describes. */
            int *turn_order = malloc(sizeof *turn_order * opt.clients);
            if (!turn_order) die(1, "out of memory");
            int turns = 0;
            for (int pos = 0; pos < opt.room_size; pos++)
                for (int room = 0; room < nrooms; room++)
                    if (room * opt.room_size + pos < opt.clients) turn_order[turns++] = room * opt.room_size + pos;
            uint64_t k = 0;
            int turn = 0;
            char buf[128];
            while (!stop_asked && now_ns() < hard_deadline) {
                int64_t now = now_ns();
                if (!measuring && now >= warm_end) {
                    phase("measuring");
                    measuring = 1;
                    measure_start = now;
                    cpu_measure_start = cpu_seconds(); rq_measure_start = runqueue_wait_ns();
                }
                if (now >= send_end) break;
                if (!planted_done && opt.plant_disconnect > 0 && now >= plant_at) {
                    /* the last D clients vanish without QUIT: the server sees a reset or EOF, like a crashed client */
                    for (int d = 0; d < opt.plant_disconnect; d++) {
                        int i = opt.clients - 1 - d;
                        if (cl[i].state == ST_READY) { cl[i].planted = 1; close_client(i, F_NONE); }
                    }
                    planted_done = 1;
                }
                uint64_t due = (uint64_t)((now - send_start) / 1e9 * opt.rate);
                while (k < due) {
                    int64_t sched = send_start + (int64_t)(k / opt.rate * 1e9);
                    for (int tries = 0; tries < opt.clients && cl[turn_order[turn]].state != ST_READY; tries++) turn = (turn + 1) % opt.clients;
                    int s = turn_order[turn];
                    turn = (turn + 1) % opt.clients;
                    k++;
                    if (cl[s].state != ST_READY || cl[s].seq >= max_seq) { send_blocked++; continue; }
                    int64_t t = now_ns();
                    if (measuring) { h_add(&lag, t - sched); if (t - sched > LATE_NS) late_sends++; }
                    int n = snprintf(buf, sizeof buf, "PRIVMSG #r%d :t=%lld s=%d q=%u\r\n", room_of(s), (long long)t, s, cl[s].seq + 1);
                    if (!send_bytes(s, buf, n)) { send_blocked++; continue; }
                    cl[s].seq++;
                    sent_total++;
                    if (measuring) sent_measured++;
                    expected_total += ready_in_room[room_of(s)] - 1;
                }
                poll_once(1);
            }
            measure_end = now_ns();
            cpu_measure_end = cpu_seconds(); rq_measure_end = runqueue_wait_ns();
            measured_s = (measure_end - measure_start) / 1e9;
            phase("measured");
            /* drain: deliveries still in flight are counted (their latency too) until all arrived or the bound */
            int64_t drain_end = now_ns() + (int64_t)(opt.drain * 1e9);
            while (!stop_asked && delivered_unique < expected_total && now_ns() < drain_end && now_ns() < hard_deadline) poll_once(5);
            measuring = 0;
            /* loss per pair: what the sender sent minus what this recipient got, split by whose fault it can be */
            for (int r = 0; r < opt.clients; r++) {
                if (cl[r].t_joined == 0) continue; /* never in the room: nothing was expected at it */
                int room = room_of(r), first = room * opt.room_size, members = room_members(room);
                for (int m = 0; m < members; m++) {
                    int s = first + m;
                    if (s == r || cl[s].t_joined == 0) continue;
                    size_t pair = (size_t)r * opt.room_size + (s % opt.room_size);
                    uint8_t *bits = seen + pair * ((max_seq + 7) / 8);
                    uint64_t got = 0;
                    for (uint32_t b = 0; b < cl[s].seq; b++) got += (bits[b >> 3] >> (b & 7)) & 1;
                    uint64_t miss = cl[s].seq - got;
                    lost += miss;
                    if (cl[r].planted) lost_planted += miss;
                    else if (cl[r].state == ST_CLOSED) lost_other_closed += miss;
                }
            }
            ready = count_state(ST_READY);
        }
    }
    /* hold the connections a moment so whoever reads the server's figures sees every client still there */
    int64_t linger_end = now_ns() + (int64_t)(opt.linger * 1e9);
    while (!stop_asked && now_ns() < linger_end && now_ns() < hard_deadline) poll_once(10);
    double cpu_total = cpu_seconds() - cpu_start;
    double cpu_measured = cpu_measure_end - cpu_measure_start;
    double wall_measured = (measure_end - measure_start) / 1e9;
    double cpu_pct = wall_measured > 0 ? 100 * cpu_measured / wall_measured : 0;
    uint64_t lagged = opt.mode == MODE_CONNECT ? late_connects : late_sends;
    uint64_t scheduled = opt.mode == MODE_CONNECT ? (uint64_t)opt.clients : lag.n;
    double late_fraction = scheduled ? (double)lagged / scheduled : 0;
    /* Saturated = its own core was (nearly) full. Late sends with CPU to spare mean it was descheduled or the server
     * pushed back (a full socket): shown as schedule_slipped, not called saturation. */
    int saturated = cpu_pct >= 90;
    int slipped = late_fraction > 0.01;
    /* Descheduled = runnable but waiting for its core for at least 5% of the measured time: the machine, not the
     * generator's own work, took the time (other processes on its core). Shown beside a slip so it is not blamed on
     * the server or on the generator's CPU. */
    double rq_wait_s = rq_measure_start >= 0 && rq_measure_end >= rq_measure_start ? (rq_measure_end - rq_measure_start) / 1e9 : -1;
    int descheduled = rq_wait_s >= 0 && wall_measured > 0 && rq_wait_s >= 0.05 * wall_measured;
    int timed_out = now_ns() >= hard_deadline;
    for (int i = 0; i < opt.clients; i++) if (cl[i].fd >= 0) close(cl[i].fd);

    out = stdout;
    if (opt.json_path && !(out = fopen(opt.json_path, "w"))) die(1, "cannot write %s: %s", opt.json_path, strerror(errno));
    const char *mode_name = opt.mode == MODE_IDLE ? "idle" : opt.mode == MODE_FANOUT ? "fanout" : "connect";
    fprintf(out, "{\"generator\":\"chatload-gen\",\"format\":1,\"mode\":\"%s\",\"target\":\"%s:%d\",\"clients\":%d,"
                 "\"room_size\":%d,\"rooms\":%d,\"rate_asked\":%.3f,\"sources\":%d,\"measured_seconds\":%.3f,"
                 "\"setup_seconds\":%.3f,\"ready\":%d,\"timed_out\":%s,\"failures\":{",
            mode_name, opt.host, opt.port, opt.clients, opt.room_size, nrooms, opt.rate, opt.sources, measured_s, setup_s,
            ready, timed_out ? "true" : "false");
    uint64_t failed = 0;
    for (int f = 1; f < F_COUNT; f++) {
        fprintf(out, "\"%s\":%llu%s", fail_names[f], (unsigned long long)fail_counts[f], f + 1 < F_COUNT ? "," : "");
        failed += fail_counts[f];
    }
    fprintf(out, "},\"failed\":%llu,", (unsigned long long)failed);
    if (opt.mode == MODE_FANOUT) {
        fprintf(out, "\"fanout\":{\"sent\":%llu,\"sent_measured\":%llu,\"send_skipped\":%llu,\"expected\":%llu,"
                     "\"delivered\":%llu,\"delivered_measured\":%llu,\"received_in_window\":%llu,\"deliveries_per_second\":%.1f,\"lost\":%llu,"
                     "\"lost_to_planted_disconnects\":%llu,\"lost_to_server_closed\":%llu,\"duplicates\":%llu,"
                     "\"out_of_order\":%llu,\"unrecognised_deliveries\":%llu,\"planted_disconnects\":%d,",
                (unsigned long long)sent_total, (unsigned long long)sent_measured, (unsigned long long)send_blocked,
                (unsigned long long)expected_total, (unsigned long long)delivered_unique, (unsigned long long)delivered_measured,
                (unsigned long long)received_in_window, measured_s > 0 ? received_in_window / measured_s : 0, (unsigned long long)lost, (unsigned long long)lost_planted,
                (unsigned long long)lost_other_closed, (unsigned long long)duplicates, (unsigned long long)out_of_order,
                (unsigned long long)unknown_lines, planted_done ? opt.plant_disconnect : 0);
        jhist("latency", &lat, 0);
        fprintf(out, "},");
    } else if (opt.mode == MODE_IDLE) {
        fprintf(out, "\"idle\":{\"held\":%d,\"pings_sent\":%llu,\"pongs\":%llu,", ready, (unsigned long long)pings_sent, (unsigned long long)pongs);
        jhist("ping", &ping_rtt, 0);
        fprintf(out, "},");
    } else {
        fprintf(out, "\"connect\":{\"joined\":%d,\"achieved_per_second\":%.1f,\"started_per_second\":%.1f,\"late_starts\":%llu,", ready,
                measured_s > 0 ? ready / measured_s : 0, started_per_second, (unsigned long long)late_connects);
        jhist("connect", &h_connect, 1);
        jhist("register", &h_register, 1);
        jhist("join", &h_join, 0);
        fprintf(out, "},");
    }
    fprintf(out, "\"self\":{\"cpu_seconds\":%.3f,\"cpu_seconds_measured\":%.3f,\"cpu_percent_measured\":%.1f,"
                 "\"cpu_us_per_delivery\":%.3f,\"max_rss_kb\":%ld,\"late_fraction\":%.5f,\"saturated\":%s,\"schedule_slipped\":%s,"
                 "\"runqueue_wait_seconds_measured\":%.3f,\"descheduled\":%s,",
            cpu_total, cpu_measured, cpu_pct, received_in_window ? cpu_measured * 1e6 / received_in_window : 0,
            max_rss_kb(), late_fraction, saturated ? "true" : "false", slipped ? "true" : "false", rq_wait_s,
            descheduled ? "true" : "false");
    jhist("schedule_lag", &lag, 0);
    fprintf(out, "}}\n");
    if (out != stdout) fclose(out);

    /* " (SATURATED; descheduled 40% of the time)": every flag that applies, or nothing */
    char flags[128] = "", desched[64] = "";
    if (descheduled) snprintf(desched, sizeof desched, "descheduled %.0f%% of the time", 100 * rq_wait_s / wall_measured);
    const char *pace = saturated ? "SATURATED" : slipped ? "schedule slipped" : "";
    if (*pace || descheduled)
        snprintf(flags, sizeof flags, " (%s%s%s)", pace, *pace && descheduled ? "; " : "", desched);
    if (opt.mode == MODE_FANOUT)
        fprintf(stderr, "chatload-gen fanout: %d clients in rooms of %d, %.0f msg/s asked: %.0f deliveries/s, p50 %.2f ms, p99 %.2f ms, max %.1f ms, lost %llu of %llu, dup %llu; generator CPU %.0f%%, late %.2f%%%s\n",
                ready, opt.room_size, opt.rate, measured_s > 0 ? received_in_window / measured_s : 0, h_pct_ms(&lat, .5), h_pct_ms(&lat, .99),
                lat.max_ns / 1e6, (unsigned long long)lost, (unsigned long long)expected_total, (unsigned long long)duplicates, cpu_pct,
                100 * late_fraction, flags);
    else if (opt.mode == MODE_IDLE)
        fprintf(stderr, "chatload-gen idle: %d of %d held for %.1f s (setup %.1f s); PING p50 %.2f ms, p99 %.2f ms (%llu); generator CPU %.0f%%\n",
                ready, opt.clients, measured_s, setup_s, h_pct_ms(&ping_rtt, .5), h_pct_ms(&ping_rtt, .99), (unsigned long long)ping_rtt.n, cpu_pct);
    else
        fprintf(stderr, "chatload-gen connect: %d of %d joined at %.0f/s (asked %.0f/s, started %.0f/s); register p50 %.2f ms, p99 %.2f ms; failed %llu; generator CPU %.0f%%, late starts %.1f%%%s\n",
                ready, opt.clients, measured_s > 0 ? ready / measured_s : 0, opt.rate, started_per_second, h_pct_ms(&h_register, .5), h_pct_ms(&h_register, .99),
                (unsigned long long)failed, cpu_pct, 100 * late_fraction, flags);
    return 0;
}
