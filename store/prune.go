package store

import (
	"context"
	"log/slog"
	"time"
)

// PruneEvery prunes h at once and then every interval until ctx ends,
// forgetting checks older than retention (DefaultRetention when zero or
// less). A failed prune is logged and tried again at the next tick; the
// caller runs it in its own goroutine.
func PruneEvery(ctx context.Context, h History, retention, interval time.Duration, now func() time.Time, log *slog.Logger) {
	if retention <= 0 {
		retention = DefaultRetention
	}
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		n, err := h.Prune(ctx, now().Add(-retention))
		if err != nil {
			log.WarnContext(ctx, "pruning the store failed", "err", err)
		} else {
			log.DebugContext(ctx, "pruned the store", "checks", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
