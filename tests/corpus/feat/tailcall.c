/* tailcall.c: mutual recursion and an interpreter loop in tail calls, for -mtail-call modules. */
#include <stdint.h>

typedef int (*handler)(const uint8_t *ip, int acc, int depth);
static int run(const uint8_t *ip, int acc, int depth);

static int op_inc(const uint8_t *ip, int acc, int depth) { __attribute__((musttail)) return run(ip + 1, acc + 1, depth); }
static int op_dbl(const uint8_t *ip, int acc, int depth) { __attribute__((musttail)) return run(ip + 1, acc * 2, depth); }
static int op_end(const uint8_t *ip, int acc, int depth) { (void)ip; return acc + depth; }
static const handler ops[] = {op_inc, op_dbl, op_end};

static int run(const uint8_t *ip, int acc, int depth)
{
	__attribute__((musttail)) return ops[*ip % 3](ip, acc, depth + 1);
}

int interpret(const uint8_t *code) { return run(code, 0, 0); }

static int is_odd(unsigned n);
static int is_even(unsigned n)
{
	if (n == 0)
		return 1;
	__attribute__((musttail)) return is_odd(n - 1);
}
static int is_odd(unsigned n)
{
	if (n == 0)
		return 0;
	__attribute__((musttail)) return is_even(n - 1);
}

int parity(unsigned n) { return is_even(n); }

int sum_to(int n, int acc)
{
	if (n == 0)
		return acc;
	__attribute__((musttail)) return sum_to(n - 1, acc + n);
}
