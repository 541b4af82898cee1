#define _GNU_SOURCE
#include "lectern_spawn.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

/* Between fork and exec only async-signal-safe calls: the parent has threads. */

static void close_range_of(unsigned low, unsigned high) {
    if (low > high) return;
#if defined(__linux__) && defined(SYS_close_range)
    if (syscall(SYS_close_range, low, high, 0) == 0) return;
#endif
    struct rlimit limit;
    unsigned max = 65536;
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < max)
        max = (unsigned)limit.rlim_cur;
    for (unsigned fd = low; fd <= high && fd < max; fd++) close((int)fd);
}

static void fail(int report, int error) {
    ssize_t n;
    do n = write(report, &error, sizeof error); while (n < 0 && errno == EINTR);
    _exit(127);
}

pid_t lectern_spawn(const char *path, char *const argv[], char *const envp[],
                    int in_fd, int out_fd, int err_fd) {
    int report[2];
#ifdef __linux__
    if (pipe2(report, O_CLOEXEC) != 0) return -1;
#else
    if (pipe(report) != 0) return -1;
    fcntl(report[0], F_SETFD, FD_CLOEXEC);
    fcntl(report[1], F_SETFD, FD_CLOEXEC);
#endif
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        int e = errno;
        close(report[0]);
        close(report[1]);
        errno = e;
        return -1;
    }
    if (pid == 0) {
        /* Above 2, so that the descriptors 0-2 can be replaced below. */
        int rep = fcntl(report[1], F_DUPFD_CLOEXEC, 10);
        if (rep < 0) fail(report[1], errno);
        if (setsid() < 0) fail(rep, errno);
#ifdef __linux__
        if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) fail(rep, errno);
        if (getppid() != parent) _exit(127);  /* the parent is already gone */
#endif
        /* Move the three out of the way first: one of them may already be 0, 1 or 2. */
        int from[3] = {in_fd, out_fd, err_fd};
        int high[3];
        for (int k = 0; k < 3; k++)
            if ((high[k] = fcntl(from[k], F_DUPFD_CLOEXEC, 10)) < 0) fail(rep, errno);
        for (int k = 0; k < 3; k++)
            if (dup2(high[k], k) < 0) fail(rep, errno);
        /* Nothing else reaches the program; the report pipe closes itself on exec. */
        close_range_of(3, (unsigned)rep - 1);
        close_range_of((unsigned)rep + 1, ~0U);
        execve(path, argv, envp);
        fail(rep, errno);
    }
    close(report[1]);
    int error = 0;
    ssize_t n;
    do n = read(report[0], &error, sizeof error); while (n < 0 && errno == EINTR);
    close(report[0]);
    if (n == (ssize_t)sizeof error) {
        while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {}
        errno = error;
        return -1;
    }
    return pid;
}

int lectern_child_ended(pid_t pid, int block) {
    siginfo_t info;
    memset(&info, 0, sizeof info);
    int rc;
    do rc = waitid(P_PID, (id_t)pid, &info, WEXITED | WNOWAIT | (block ? 0 : WNOHANG));
    while (rc < 0 && errno == EINTR);
    if (rc < 0) return -1;
    return info.si_pid == pid ? 1 : 0;
}

int lectern_wait_child(pid_t pid, int timeout_ms) {
    int ended = lectern_child_ended(pid, 0);
    if (ended != 0 || timeout_ms <= 0) return ended;
#if defined(__linux__) && defined(SYS_pidfd_open)
    /* A pidfd becomes readable when the process ends: no sleeping past it. */
    int fd = (int)syscall(SYS_pidfd_open, pid, 0);
    if (fd >= 0) {
        struct pollfd p = { .fd = fd, .events = POLLIN, .revents = 0 };
        int rc;
        do rc = poll(&p, 1, timeout_ms); while (rc < 0 && errno == EINTR);
        close(fd);
        return lectern_child_ended(pid, 0);
    }
#endif
    /* No pidfd (an old kernel): look again within a millisecond or two. */
    struct timespec pause = { 0, (timeout_ms < 2 ? timeout_ms : 2) * 1000000L };
    while (nanosleep(&pause, &pause) != 0 && errno == EINTR) {}
    return lectern_child_ended(pid, 0);
}

int lectern_become_subreaper(void) {
#ifdef __linux__
    return prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
#else
    errno = ENOSYS;
    return -1;
#endif
}

void lectern_catch_signal(int sig, void (*handler)(int), int keep_ignored) {
    struct sigaction old;
    if (keep_ignored && sigaction(sig, NULL, &old) == 0 && old.sa_handler == SIG_IGN) return;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = handler;
    action.sa_flags = SA_RESTART;
    sigemptyset(&action.sa_mask);
    sigaction(sig, &action, NULL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
}
