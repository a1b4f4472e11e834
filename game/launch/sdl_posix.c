#define _GNU_SOURCE /* pthread_setname_np */
/*
 * sdl_posix: the few SDL and SDL_net calls the dedicated server's code
 * makes (threads, mutexes, atomics, clocks, formatting, UDP for LAN
 * discovery), on POSIX threads and BSD sockets. It is compiled into
 * lanarena-server only, which links with --as-needed: with every symbol
 * it uses defined here, the linker records no libSDL2 or libSDL2_net.
 * Debian's libSDL2 links X11, Wayland, ALSA and PulseAudio outright (it
 * does not load them on demand), so a server that needed it could not
 * start on a machine without them; the game itself (lanarena) links the
 * real SDL. Each function keeps the SDL 2 contract the callers rely on;
 * tests/it/it_server.sh checks the binary's ldd and plays a game on it.
 *
 * Threading contract: as SDL's: every function may be called from any
 * thread; an SDL_mutex or UDP socket is shared as SDL would allow.
 */
#include <SDL.h>
#include <SDL_net.h>

#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static _Thread_local char sdl_posix_error[256];

static void sdl_posix_set_error(const char *what, int e)
{
    snprintf(sdl_posix_error, sizeof sdl_posix_error, "%s: %s", what, strerror(e));
}

const char *SDL_GetError(void)
{
    return sdl_posix_error;
}

const char *SDLNet_GetError(void)
{
    return sdl_posix_error;
}

int SDL_snprintf(char *text, size_t maxlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(text, maxlen, fmt, ap);
    va_end(ap);
    return n;
}

size_t SDL_strlcpy(char *dst, const char *src, size_t maxlen)
{
    size_t n = strlen(src);
    if (maxlen > 0) {
        size_t c = n < maxlen - 1 ? n : maxlen - 1;
        memcpy(dst, src, c);
        dst[c] = '\0';
    }
    return n;
}

/* ---- clocks ---- */

static uint64_t sdl_posix_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint64_t sdl_posix_start_ns;
static pthread_once_t sdl_posix_start_once = PTHREAD_ONCE_INIT;

static void sdl_posix_start(void)
{
    sdl_posix_start_ns = sdl_posix_ns();
}

Uint64 SDL_GetTicks64(void)
{
    pthread_once(&sdl_posix_start_once, sdl_posix_start);
    return (sdl_posix_ns() - sdl_posix_start_ns) / 1000000u;
}

Uint32 SDL_GetTicks(void)
{
    return (Uint32)SDL_GetTicks64();
}

Uint64 SDL_GetPerformanceCounter(void)
{
    return sdl_posix_ns();
}

Uint64 SDL_GetPerformanceFrequency(void)
{
    return 1000000000u;
}

void SDL_Delay(Uint32 ms)
{
    struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

/* ---- atomics ---- */

int SDL_AtomicGet(SDL_atomic_t *a)
{
    return __atomic_load_n(&a->value, __ATOMIC_SEQ_CST);
}

int SDL_AtomicSet(SDL_atomic_t *a, int v)
{
    return __atomic_exchange_n(&a->value, v, __ATOMIC_SEQ_CST);
}

int SDL_AtomicAdd(SDL_atomic_t *a, int v)
{
    return __atomic_fetch_add(&a->value, v, __ATOMIC_SEQ_CST);
}

SDL_bool SDL_AtomicCAS(SDL_atomic_t *a, int oldval, int newval)
{
    return __atomic_compare_exchange_n(&a->value, &oldval, newval, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)
               ? SDL_TRUE
               : SDL_FALSE;
}

/* SDL's spin lock: held for a few instructions, so spinning (with a
 * yield) beats sleeping. */
void SDL_AtomicLock(SDL_SpinLock *lock)
{
    while (__atomic_exchange_n(lock, 1, __ATOMIC_ACQUIRE))
        sched_yield();
}

void SDL_AtomicUnlock(SDL_SpinLock *lock)
{
    __atomic_store_n(lock, 0, __ATOMIC_RELEASE);
}

/* ---- threads' identity ---- */

SDL_threadID SDL_ThreadID(void)
{
    return (SDL_threadID)pthread_self();
}

/* ---- mutexes ---- */

struct SDL_mutex {
    pthread_mutex_t m;
};

SDL_mutex *SDL_CreateMutex(void)
{
    SDL_mutex *m = malloc(sizeof *m);
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE); /* SDL's mutexes are recursive */
    if (m && pthread_mutex_init(&m->m, &attr) != 0) {
        free(m);
        m = NULL;
    }
    pthread_mutexattr_destroy(&attr);
    if (!m)
        sdl_posix_set_error("SDL_CreateMutex", ENOMEM);
    return m;
}

int SDL_LockMutex(SDL_mutex *m)
{
    return m ? pthread_mutex_lock(&m->m) : -1;
}

int SDL_UnlockMutex(SDL_mutex *m)
{
    return m ? pthread_mutex_unlock(&m->m) : -1;
}

void SDL_DestroyMutex(SDL_mutex *m)
{
    if (m) {
        pthread_mutex_destroy(&m->m);
        free(m);
    }
}

/* ---- condition variables (the LAN search's inbox) ---- */

struct SDL_cond {
    pthread_cond_t c;
};

SDL_cond *SDL_CreateCond(void)
{
    SDL_cond *c = malloc(sizeof *c);
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    if (c && pthread_cond_init(&c->c, &attr) != 0) {
        free(c);
        c = NULL;
    }
    pthread_condattr_destroy(&attr);
    if (!c)
        sdl_posix_set_error("SDL_CreateCond", ENOMEM);
    return c;
}

int SDL_CondSignal(SDL_cond *c)
{
    return c ? pthread_cond_signal(&c->c) : -1;
}

/* 0 when signalled, SDL_MUTEX_TIMEDOUT after ms, as SDL's. */
int SDL_CondWaitTimeout(SDL_cond *c, SDL_mutex *m, Uint32 ms)
{
    if (!c || !m)
        return -1;
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += ms / 1000;
    until.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    int r = pthread_cond_timedwait(&c->c, &m->m, &until);
    return r == 0 ? 0 : r == ETIMEDOUT ? SDL_MUTEX_TIMEDOUT : -1;
}

void SDL_DestroyCond(SDL_cond *c)
{
    if (c) {
        pthread_cond_destroy(&c->c);
        free(c);
    }
}

/* ---- threads ---- */

struct SDL_Thread {
    pthread_t t;
    SDL_ThreadFunction fn;
    void *data;
    int status;
    char name[16];
    int ending; /* 0 running and joinable; 1 detached; 2 finished (atomic) */
};

static void *sdl_posix_thread_main(void *arg)
{
    SDL_Thread *t = arg;
    pthread_setname_np(pthread_self(), t->name);
    t->status = t->fn(t->data);
    /* Detached already: nobody will wait, so the record is ours to free. */
    if (__atomic_exchange_n(&t->ending, 2, __ATOMIC_ACQ_REL) == 1)
        free(t);
    return NULL;
}

SDL_Thread *SDL_CreateThread(SDL_ThreadFunction fn, const char *name, void *data)
{
    SDL_Thread *t = calloc(1, sizeof *t);
    if (!t) {
        sdl_posix_set_error("SDL_CreateThread", ENOMEM);
        return NULL;
    }
    t->fn = fn;
    t->data = data;
    snprintf(t->name, sizeof t->name, "%s", name ? name : "");
    int e = pthread_create(&t->t, NULL, sdl_posix_thread_main, t);
    if (e != 0) {
        sdl_posix_set_error("SDL_CreateThread", e);
        free(t);
        return NULL;
    }
    return t;
}

void SDL_WaitThread(SDL_Thread *t, int *status)
{
    if (!t)
        return;
    pthread_join(t->t, NULL);
    if (status)
        *status = t->status;
    free(t);
}

/* A detached thread frees its own record when it ends (SDL's contract);
 * if it has ended already, the record goes here. */
void SDL_DetachThread(SDL_Thread *t)
{
    if (!t)
        return;
    pthread_detach(t->t);
    if (__atomic_exchange_n(&t->ending, 1, __ATOMIC_ACQ_REL) == 2)
        free(t);
}

/* ---- SDL_net: name lookup, local addresses, UDP ---- */

int SDLNet_Init(void)
{
    return 0;
}

void SDLNet_Quit(void)
{
}

int SDLNet_ResolveHost(IPaddress *address, const char *host, Uint16 port)
{
    address->port = htons(port);
    if (!host) {
        address->host = INADDR_ANY;
        return 0;
    }
    struct in_addr in;
    if (inet_pton(AF_INET, host, &in) == 1) {
        address->host = in.s_addr;
        return 0;
    }
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_INET;
    int e = getaddrinfo(host, NULL, &hints, &res);
    if (e != 0 || !res) {
        snprintf(sdl_posix_error, sizeof sdl_posix_error, "Couldn't resolve host: %s", gai_strerror(e));
        address->host = INADDR_NONE;
        return -1;
    }
    address->host = ((struct sockaddr_in *)res->ai_addr)->sin_addr.s_addr;
    freeaddrinfo(res);
    return 0;
}

int SDLNet_GetLocalAddresses(IPaddress *addresses, int maxcount)
{
    struct ifaddrs *list = NULL;
    if (getifaddrs(&list) != 0)
        return 0;
    int n = 0;
    for (struct ifaddrs *i = list; i && n < maxcount; i = i->ifa_next) {
        if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET)
            continue;
        addresses[n].host = ((struct sockaddr_in *)i->ifa_addr)->sin_addr.s_addr;
        addresses[n].port = 0;
        n++;
    }
    freeifaddrs(list);
    return n;
}

/* SDL_net casts every socket to SDLNet_GenericSocket: `ready` comes first. */
struct _UDPsocket {
    int ready;
    int fd;
    IPaddress local;
};

UDPsocket SDLNet_UDP_Open(Uint16 port)
{
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0) {
        sdl_posix_set_error("Couldn't create socket", errno);
        return NULL;
    }
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &one, sizeof one);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = INADDR_ANY;
    a.sin_port = htons(port);
    socklen_t len = sizeof a;
    if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || getsockname(fd, (struct sockaddr *)&a, &len) != 0) {
        sdl_posix_set_error("Couldn't bind to local port", errno);
        close(fd);
        return NULL;
    }
    UDPsocket s = calloc(1, sizeof *s);
    if (!s) {
        close(fd);
        sdl_posix_set_error("SDLNet_UDP_Open", ENOMEM);
        return NULL;
    }
    s->fd = fd;
    s->local.host = a.sin_addr.s_addr;
    s->local.port = a.sin_port;
    return s;
}

void SDLNet_UDP_Close(UDPsocket s)
{
    if (s) {
        close(s->fd);
        free(s);
    }
}

IPaddress *SDLNet_UDP_GetPeerAddress(UDPsocket s, int channel)
{
    return s && channel == -1 ? &s->local : NULL;
}

int SDLNet_UDP_Send(UDPsocket s, int channel, UDPpacket *p)
{
    if (!s || channel != -1 || !p)
        return 0;
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = p->address.host;
    a.sin_port = p->address.port;
    ssize_t n = sendto(s->fd, p->data, (size_t)p->len, MSG_NOSIGNAL, (struct sockaddr *)&a, sizeof a);
    p->status = (int)n;
    if (n < 0) {
        sdl_posix_set_error("sendto", errno);
        return 0;
    }
    return 1;
}

int SDLNet_UDP_Recv(UDPsocket s, UDPpacket *p)
{
    if (!s || !p)
        return -1;
    struct sockaddr_in a;
    socklen_t len = sizeof a;
    ssize_t n = recvfrom(s->fd, p->data, (size_t)p->maxlen, MSG_DONTWAIT, (struct sockaddr *)&a, &len);
    s->ready = 0;
    if (n < 0)
        return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? 0 : -1;
    p->len = (int)n;
    p->channel = -1;
    p->status = (int)n;
    p->address.host = a.sin_addr.s_addr;
    p->address.port = a.sin_port;
    return 1;
}

UDPpacket *SDLNet_AllocPacket(int size)
{
    UDPpacket *p = calloc(1, sizeof *p);
    if (p)
        p->data = malloc((size_t)size);
    if (!p || !p->data) {
        free(p);
        sdl_posix_set_error("SDLNet_AllocPacket", ENOMEM);
        return NULL;
    }
    p->maxlen = size;
    p->channel = -1;
    return p;
}

void SDLNet_FreePacket(UDPpacket *p)
{
    if (p) {
        free(p->data);
        free(p);
    }
}

#define SDL_POSIX_SET_MAX 16
struct _SDLNet_SocketSet {
    int count, max;
    struct _UDPsocket *socks[SDL_POSIX_SET_MAX];
};

SDLNet_SocketSet SDLNet_AllocSocketSet(int maxsockets)
{
    if (maxsockets > SDL_POSIX_SET_MAX) {
        sdl_posix_set_error("SDLNet_AllocSocketSet", EINVAL);
        return NULL;
    }
    struct _SDLNet_SocketSet *set = calloc(1, sizeof *set);
    if (set)
        set->max = maxsockets;
    return set;
}

void SDLNet_FreeSocketSet(SDLNet_SocketSet set)
{
    free(set);
}

/* Only UDP sockets are ever added here (discovery). */
int SDLNet_AddSocket(SDLNet_SocketSet set, SDLNet_GenericSocket sock)
{
    if (!set || !sock || set->count >= set->max)
        return -1;
    set->socks[set->count++] = (struct _UDPsocket *)sock;
    return set->count;
}

int SDLNet_CheckSockets(SDLNet_SocketSet set, Uint32 timeout)
{
    if (!set)
        return -1;
    fd_set fds;
    FD_ZERO(&fds);
    int maxfd = -1;
    for (int i = 0; i < set->count; i++) {
        FD_SET(set->socks[i]->fd, &fds);
        if (set->socks[i]->fd > maxfd)
            maxfd = set->socks[i]->fd;
    }
    struct timeval tv = {(time_t)(timeout / 1000), (suseconds_t)(timeout % 1000) * 1000};
    int n = select(maxfd + 1, &fds, NULL, NULL, &tv);
    if (n < 0)
        return errno == EINTR ? 0 : -1;
    for (int i = 0; i < set->count; i++)
        set->socks[i]->ready = FD_ISSET(set->socks[i]->fd, &fds) ? 1 : 0;
    return n;
}
