// exceptions.cpp: C++ throw and catch for -fwasm-exceptions modules (no C++ library: the
// __cxa_* runtime stays undefined in objects and becomes imports in the linked module).
struct Error {
	int code;
	const char *what;
};

static int depth;

__attribute__((noinline)) static int check(int v)
{
	if (v < 0)
		throw Error{v, "negative"};
	if (v > 1000)
		throw v;
	return v * 2;
}

struct Guard {
	Guard() { depth++; }
	~Guard() { depth--; }
};

extern "C" int safe_check(int v)
{
	Guard g;
	try {
		return check(v);
	} catch (const Error &e) {
		return e.code - depth;
	} catch (int n) {
		return -n;
	} catch (...) {
		return -1;
	}
}

extern "C" int rethrows(int v)
{
	try {
		try {
			return check(v);
		} catch (int) {
			throw;
		}
	} catch (...) {
		return 7;
	}
}
