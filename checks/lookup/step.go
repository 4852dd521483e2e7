package lookup

import (
	"context"
	"time"
)

// WithTimeout returns a Resolver that bounds each question to r by
// timeout (the step timeout), so that work made of many lookups (an SPF
// evaluation, a propagation check) is bounded at each step as well as by
// ctx. A timeout of zero or less returns r itself.
func WithTimeout(r Resolver, timeout time.Duration) Resolver {
	if timeout <= 0 {
		return r
	}
	return stepResolver{r, timeout}
}

type stepResolver struct {
	r       Resolver
	timeout time.Duration
}

func (s stepResolver) Query(ctx context.Context, name string, qtype uint16) (*Answer, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	return s.r.Query(ctx, name, qtype)
}
