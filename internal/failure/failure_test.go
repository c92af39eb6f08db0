package failure

import (
	"context"
	"errors"
	"io"
	"testing"
)

func TestUsagef(t *testing.T) {
	err := Usagef("bad --dim: %w", io.ErrUnexpectedEOF)
	var ue UsageError
	if !errors.As(err, &ue) || err.Error() != "bad --dim: unexpected EOF" || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("Usagef = %v (%T); want a UsageError wrapping io.ErrUnexpectedEOF", err, err)
	}
	if errors.As(errors.New("plain"), &ue) {
		t.Error("a plain error is a UsageError")
	}
}

func TestInterruptedf(t *testing.T) {
	signal := errors.New("interrupt received")
	ctx, cancel := context.WithCancelCause(context.Background())
	cancel(signal)
	err := Interruptedf(ctx, "stopped after %d words", 5)
	if err.Error() != "stopped after 5 words" || !errors.Is(err, signal) {
		t.Errorf("Interruptedf = %q; want the message, unwrapping to the cause", err)
	}
}
