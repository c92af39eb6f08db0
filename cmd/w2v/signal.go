package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

// signalled is the cause of a context cancelled by a signal. A command that
// stops because of it returns an error wrapping it (see interruptedf), and
// run exits with 128 + the signal's number, as shells report a process the
// signal killed: scripts can tell an interruption from a failure.
type signalled struct{ sig syscall.Signal }

func (s signalled) Error() string { return s.sig.String() + " received" }

// notifySignals returns a context cancelled, with a signalled cause, when
// one of sigs arrives; stop releases the signals.
func notifySignals(parent context.Context, sigs ...os.Signal) (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancelCause(parent)
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, sigs...)
	go func() {
		select {
		case s := <-ch:
			if sig, ok := s.(syscall.Signal); ok {
				cancel(signalled{sig})
			} else {
				cancel(context.Canceled)
			}
		case <-ctx.Done():
		}
	}()
	return ctx, func() {
		signal.Stop(ch)
		cancel(nil)
	}
}
