// Package cache keeps values for a while, to pin how Go files are chunked.
package cache

import (
	"sync"
	"time"
)

// Entry is one cached value.
type Entry struct {
	Value   any
	Expires time.Time
}

type Store interface {
	Get(key string) (any, bool)
	Put(key string, value any)
}

type Cache struct {
	mu      sync.Mutex
	entries map[string]Entry
}

// New makes an empty cache.
func New() *Cache {
	return &Cache{entries: map[string]Entry{}}
}

// Get returns a live value.
func (c *Cache) Get(key string) (any, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok || time.Now().After(e.Expires) {
		return nil, false
	}
	return e.Value, true
}

func (c Cache) Len() int { return len(c.entries) }

const DefaultTTL = time.Minute
