package retry

import (
	"errors"
	"time"
)

// Do calls fn until it succeeds or attempts run out, doubling the pause each time.
func Do(attempts int, pause time.Duration, fn func() error) error {
	if attempts < 1 {
		return errors.New("attempts must be at least 1")
	}
	var err error
	for i := 0; i < attempts; i++ {
		if err = fn(); err == nil {
			return nil
		}
		time.Sleep(pause)
		pause *= 2
	}
	return err
}
