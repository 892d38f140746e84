/* misc.c: a wasi suite program: argv, environ, stdin, clocks, sleeping,
 * random bytes, sched_yield, and an exit code chosen by the arguments
 * (the first argument, when it is a number). */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static long long ns(clockid_t c)
{
	struct timespec t;
	clock_gettime(c, &t);
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		printf("argv[%d] = \"%s\"\n", i, argv[i]);
	int n = 0;
	for (char **e = environ; *e; e++)
		n++;
	printf("%d environment variable(s)\n", n);
	for (char **e = environ; *e; e++)
		if (strncmp(*e, "WT_", 3) == 0)
			printf("env %s\n", *e);
	printf("HOME is %s\n", getenv("HOME") ? "set" : "unset");

	char buf[4096];
	size_t total = 0;
	ssize_t k;
	while ((k = read(0, buf, sizeof buf)) > 0)
		total += (size_t)k;
	printf("stdin: %zu byte(s)\n", total);

	struct timespec res;
	printf("clock_getres monotonic: %s\n",
	       clock_getres(CLOCK_MONOTONIC, &res) == 0 && (res.tv_sec || res.tv_nsec) ? "ok" : "bad");
	long long t0 = ns(CLOCK_MONOTONIC);
	long long r0 = ns(CLOCK_REALTIME);
	struct timespec d = {0, 20 * 1000 * 1000};
	nanosleep(&d, NULL);
	long long t1 = ns(CLOCK_MONOTONIC);
	int slept = t1 - t0 >= 15000000 && t1 - t0 < 5000000000LL;
	printf("slept 20ms (at least 15): %s\n", slept ? "ok" : "bad");
	printf("realtime after 2020: %s\n", r0 > 1577836800LL * 1000000000LL ? "ok" : "bad");
	printf("cputime: %s\n", ns(CLOCK_PROCESS_CPUTIME_ID) >= 0 ? "ok" : "bad");

	unsigned char r1[32], r2[32];
	getentropy(r1, sizeof r1);
	getentropy(r2, sizeof r2);
	printf("random differs: %s\n", memcmp(r1, r2, sizeof r1) ? "ok" : "bad");
	printf("sched_yield: %d\n", sched_yield());
	fprintf(stderr, "to stderr\n");
	fflush(stdout);
	return argc > 1 ? atoi(argv[1]) : 0;
}
