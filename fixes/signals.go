package fixes

// Signals during a write. While at least one write is in progress, the
// signals that end a process (SIGINT, SIGTERM, SIGHUP; os.Interrupt
// where there are no others) are caught: every write in progress is
// aborted (its temporary files removed, no rename after), then the catch
// is undone and the signal sent again, so the process ends as it would
// have, or whoever else listens for it (the TUI's Bubble Tea program)
// gets it. Outside writes nothing is caught. A signal ignored when the
// process started (nohup) stays ignored.

import (
	"os"
	"os/signal"
	"sync"
)

var writes struct {
	sync.Mutex
	active map[*txn]bool
	stop   chan struct{} // closed to stop the current watcher; nil: none
}

// watch registers a write in progress, catching the signals if it is the
// first.
func watch(t *txn) {
	writes.Lock()
	defer writes.Unlock()
	if writes.active == nil {
		writes.active = map[*txn]bool{}
	}
	writes.active[t] = true
	if writes.stop != nil {
		return
	}
	var sigs []os.Signal
	for _, s := range endingSignals {
		if !signal.Ignored(s) {
			sigs = append(sigs, s)
		}
	}
	if len(sigs) == 0 {
		return
	}
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, sigs...)
	stop := make(chan struct{})
	writes.stop = stop
	go watcher(ch, stop)
}

// unwatch ends a write; the last one stops the catch.
func unwatch(t *txn) {
	writes.Lock()
	defer writes.Unlock()
	delete(writes.active, t)
	if len(writes.active) == 0 && writes.stop != nil {
		close(writes.stop)
		writes.stop = nil
	}
}

func watcher(ch chan os.Signal, stop chan struct{}) {
	select {
	case sig := <-ch:
		writes.Lock()
		for t := range writes.active {
			t.abort()
		}
		if writes.stop == stop {
			writes.stop = nil
		}
		writes.Unlock()
		signal.Stop(ch)
		resend(sig)
	case <-stop:
		signal.Stop(ch)
		// A signal that came as the last write ended is not swallowed.
		select {
		case sig := <-ch:
			resend(sig)
		default:
		}
	}
}
