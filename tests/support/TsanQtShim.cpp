// Linked into the test executables of a ThreadSanitizer build (-DSTICKYBOARD_SANITIZE=thread)
// only. Debian's Qt is not built with TSan. Qt's headers annotate QMutex for TSan in our own
// code (qtsan_impl.h: lock() and unlock() are inline), but QWaitCondition::wait() unlocks
// and relocks its mutex inside libQt6Core, where nothing tells TSan. It then believes the
// waiting thread still holds the mutex, and reports every correct QMutex + QWaitCondition
// hand-off in our code (the store's queue) as a double lock and a race. Our calls to wait()
// resolve here first (the definitions are in the executable); each forwards to Qt's and
// annotates the unlock and relock as an instrumented Qt would. Qt's own calls are unaffected.
//
// QThread::wait() has the same blind spot: Qt's threads are detached, and wait() learns of the
// end through Qt's own QMutex, so what a thread did is not ordered before what its owner
// does after wait() (deleting the worker object). start() here makes the thread release its
// QThread at its end (finished() is emitted on it, after run() returned) and wait() acquires
// it once the thread has ended.
#include <QDeadlineTimer>
#include <QMutex>
#include <QThread>
#include <QVariant>
#include <QWaitCondition>

#include <sanitizer/tsan_interface.h>

#include <dlfcn.h>

#include <cstdio>
#include <cstdlib>

namespace {

template <typename F> F real(const char *mangled)
{
    void *p = dlvsym(RTLD_NEXT, mangled, "Qt_6");
    if (!p)
        p = dlsym(RTLD_NEXT, mangled);
    if (!p) {
        std::fprintf(stderr, "TsanQtShim: %s not found in Qt\n", mangled);
        std::abort();
    }
    return reinterpret_cast<F>(p);
}

/// The unlock wait() does inside Qt, then the relock, as TSan needs to see them.
template <typename Wait> bool annotatedWait(QMutex *mutex, Wait &&wait)
{
    __tsan_mutex_pre_unlock(mutex, 0);
    __tsan_mutex_post_unlock(mutex, 0);
    const bool woken = wait();
    __tsan_mutex_pre_lock(mutex, 0);
    __tsan_mutex_post_lock(mutex, 0, 0);
    return woken;
}

} // namespace

bool QWaitCondition::wait(QMutex *mutex, QDeadlineTimer deadline)
{
    static const auto f = real<bool (*)(QWaitCondition *, QMutex *, QDeadlineTimer)>(
        "_ZN14QWaitCondition4waitEP6QMutex14QDeadlineTimer");
    return annotatedWait(mutex, [&] { return f(this, mutex, deadline); });
}

bool QWaitCondition::wait(QMutex *mutex, unsigned long time)
{
    static const auto f = real<bool (*)(QWaitCondition *, QMutex *, unsigned long)>(
        "_ZN14QWaitCondition4waitEP6QMutexm");
    return annotatedWait(mutex, [&] { return f(this, mutex, time); });
}

void QThread::start(Priority priority)
{
    static const auto f = real<void (*)(QThread *, Priority)>("_ZN7QThread5startENS_8PriorityE");
    if (!property("_tsanShim").toBool()) {
        setProperty("_tsanShim", true);
        connect(
            this, &QThread::finished, this, [this] { __tsan_release(this); }, Qt::DirectConnection);
    }
    f(this, priority);
}

bool QThread::wait(QDeadlineTimer deadline)
{
    static const auto f =
        real<bool (*)(QThread *, QDeadlineTimer)>("_ZN7QThread4waitE14QDeadlineTimer");
    const bool ended = f(this, deadline);
    if (ended)
        __tsan_acquire(this);
    return ended;
}
