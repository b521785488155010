package admin

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

var (
	requests = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "tickwire_admin_requests_total",
		Help: "Admin API requests by endpoint and status code (421: foreign Host, 403: cross-site, 401: wrong or missing token).",
	}, []string{"endpoint", "code"})
	refused = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "tickwire_admin_refused_total",
		Help: "Admin API requests refused before their handler, by reason (host, cross_site, token).",
	}, []string{"reason"})
	watchDropped = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "tickwire_admin_watch_dropped_total",
		Help: "Watch streams refused and frames they did not deliver, by reason (refused, superseded, queue_full).",
	}, []string{"reason"})
	recordFailures = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "tickwire_admin_record_failures_total",
		Help: "Streamed recordings that ended early, by reason (overflow, start, stop, write).",
	}, []string{"reason"})
	kicks = promauto.NewCounter(prometheus.CounterOpts{
		Name: "tickwire_admin_kicks_total",
		Help: "Players kicked through the admin API.",
	})
)
