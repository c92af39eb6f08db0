// Package failure marks the errors whose kind decides how a command exits:
// a usage error (the command line or configuration makes no sense) and an
// interruption by a signal. Any other error is the job failing. Packages
// that run a command's work return these so the command can pick its exit
// status without parsing messages.
package failure

import (
	"context"
	"fmt"
)

// UsageError marks an error in how a command was invoked.
type UsageError struct{ Err error }

func (e UsageError) Error() string { return e.Err.Error() }

// Unwrap returns the error it marks.
func (e UsageError) Unwrap() error { return e.Err }

// Usagef returns a UsageError with a formatted message; %w wraps as in
// fmt.Errorf.
func Usagef(format string, args ...any) error {
	return UsageError{fmt.Errorf(format, args...)}
}

// Interrupted reports a job stopped by a signal (or other cancellation):
// its message is the job's, and it unwraps to the context's cause, so the
// command can exit as the signal would.
type Interrupted struct {
	msg   string
	cause error
}

func (e *Interrupted) Error() string { return e.msg }

// Unwrap returns the cause of the context's cancellation.
func (e *Interrupted) Unwrap() error { return e.cause }

// Interruptedf returns an *Interrupted with the formatted message that
// unwraps to the cause of ctx's cancellation.
func Interruptedf(ctx context.Context, format string, args ...any) error {
	return &Interrupted{msg: fmt.Sprintf(format, args...), cause: context.Cause(ctx)}
}
