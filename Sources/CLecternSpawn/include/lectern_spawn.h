#ifndef LECTERN_SPAWN_H
#define LECTERN_SPAWN_H
#include <sys/types.h>

/// Starts `path` the way every lecture program and compiler run starts: in a
/// session of its own (its session id and process group are its pid), with
/// `in_fd`, `out_fd` and `err_fd` as its descriptors 0, 1 and 2 and no other
/// descriptor, and (on Linux) SIGKILL as its parent-death signal, so that it
/// ends when the thread that started it does. fork + exec, because the
/// parent-death signal can only be set between the two.
/// Returns the pid, or -1 with errno set (also when exec failed).
pid_t lectern_spawn(const char *path, char *const argv[], char *const envp[],
                    int in_fd, int out_fd, int err_fd);

/// Whether child `pid` has ended, without reaping it (the pid stays taken, so
/// the session it leads cannot be confused with a new one). `block`: wait for it.
/// Returns 1 ended, 0 still running, -1 error (errno set).
int lectern_child_ended(pid_t pid, int block);

/// Waits up to `timeout_ms` for child `pid` to end, without reaping it, and
/// wakes as it ends (a pidfd on Linux; elsewhere it looks again every 2 ms).
/// Returns as `lectern_child_ended`: 1 ended, 0 still running, -1 error.
int lectern_wait_child(pid_t pid, int timeout_ms);

/// Makes this process a child subreaper (Linux): a process whose parent dies
/// is re-parented to the nearest living ancestor that is one, not to init.
/// Returns 0, or -1 where it is not available.
int lectern_become_subreaper(void);

/// Installs `handler` for `sig` (with SA_RESTART) and unblocks it; with
/// `keep_ignored`, a signal ignored when lectern started (SIGHUP under `nohup`)
/// stays ignored.
void lectern_catch_signal(int sig, void (*handler)(int), int keep_ignored);

#endif
