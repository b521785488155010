package drones

import (
	"testing"
)

func TestDragAndAngleHelpers(t *testing.T) {
	tests := []struct {
		name      string
		got, want int64
	}{
		{"dragged stops", dragged(1, q16/100), 0},
		{"dragged -1 stops", dragged(-1, q16/100), 0},
		{"signedAngle 2048", int64(signedAngle(2048)), -2048},
		{"signedAngle -1", int64(signedAngle(-1)), -1},
		{"clampPitch straight down", int64(clampPitch(3 * AngleSteps / 4)), -PitchLimit},
		{"clampPitch up", int64(clampPitch(AngleSteps / 4)), PitchLimit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %d, want %d", tt.got, tt.want)
			}
		})
	}
}
