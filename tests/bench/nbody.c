/* nbody.c: floating-point physics (an n-body simulation in doubles). */
#include "bench.h"

#define BODIES 5
struct body {
	double x, y, z, vx, vy, vz, mass;
};
static struct body bodies[BODIES];
static volatile int steps = 120000;

static void init(void)
{
	unsigned seed = 3;
	for (int i = 0; i < BODIES; i++) {
		struct body *b = &bodies[i];
		b->x = (double)(lcg(&seed) % 2000) / 100.0 - 10.0;
		b->y = (double)(lcg(&seed) % 2000) / 100.0 - 10.0;
		b->z = (double)(lcg(&seed) % 2000) / 100.0 - 10.0;
		b->vx = b->vy = b->vz = 0;
		b->mass = 1.0 + (double)(lcg(&seed) % 100) / 10.0;
	}
}

static void advance(double dt)
{
	for (int i = 0; i < BODIES; i++) {
		struct body *a = &bodies[i];
		for (int j = i + 1; j < BODIES; j++) {
			struct body *b = &bodies[j];
			double dx = a->x - b->x, dy = a->y - b->y, dz = a->z - b->z;
			double d2 = dx * dx + dy * dy + dz * dz + 0.01;
			double mag = dt / (d2 * __builtin_sqrt(d2));
			a->vx -= dx * b->mass * mag;
			a->vy -= dy * b->mass * mag;
			a->vz -= dz * b->mass * mag;
			b->vx += dx * a->mass * mag;
			b->vy += dy * a->mass * mag;
			b->vz += dz * a->mass * mag;
		}
	}
	for (int i = 0; i < BODIES; i++) {
		bodies[i].x += dt * bodies[i].vx;
		bodies[i].y += dt * bodies[i].vy;
		bodies[i].z += dt * bodies[i].vz;
	}
}

BENCH_WORK
{
	init();
	for (int s = 0; s < steps; s++)
		advance(0.001);
	double e = 0;
	for (int i = 0; i < BODIES; i++)
		e += bodies[i].mass * (bodies[i].vx * bodies[i].vx + bodies[i].vy * bodies[i].vy +
				       bodies[i].vz * bodies[i].vz);
	return (unsigned)(long long)(e * 1000.0);
}

BENCH_MAIN
