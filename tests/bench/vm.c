/* vm.c: a switch-driven bytecode interpreter (br_table, memory traffic). */
#include "bench.h"

enum { PUSH, LOAD, STORE, ADD, SUB, MUL, MOD, JNZ, DUP, DROP, HALT };

/* Sums (i * i) mod 7 + i for i = n down to 1:
 *   r0 = n; r1 = 0
 *   loop: r1 = r1 + r0*r0 % 7 + r0; r0 = r0 - 1; if r0 goto loop */
static const int program[] = {
	LOAD, 0, LOAD, 0, MUL, PUSH, 7, MOD, LOAD, 0, ADD, LOAD, 1, ADD, STORE, 1,
	LOAD, 0, PUSH, 1, SUB, DUP, STORE, 0, JNZ, 0, HALT,
};
static volatile int n = 600000;

static int execute(const int *code, int *regs)
{
	int stack[64], sp = 0, pc = 0;
	for (;;) {
		switch (code[pc++]) {
		case PUSH: stack[sp++] = code[pc++]; break;
		case LOAD: stack[sp++] = regs[code[pc++]]; break;
		case STORE: regs[code[pc++]] = stack[--sp]; break;
		case ADD: sp--; stack[sp - 1] += stack[sp]; break;
		case SUB: sp--; stack[sp - 1] -= stack[sp]; break;
		case MUL: sp--; stack[sp - 1] *= stack[sp]; break;
		case MOD: sp--; stack[sp - 1] %= stack[sp]; break;
		case JNZ: if (stack[--sp]) pc = code[pc]; else pc++; break;
		case DUP: stack[sp] = stack[sp - 1]; sp++; break;
		case DROP: sp--; break;
		case HALT: return regs[1];
		default: return -1;
		}
	}
}

BENCH_WORK
{
	int regs[2] = {n, 0};
	return (unsigned)execute(program, regs);
}

BENCH_MAIN
