// mangle.cpp: C++ written for its mangled names (the demangler's test, no
// C++ library): operators, templates with literal arguments, nested
// templates, references, cv-qualifiers, anonymous namespaces, lambdas,
// local statics and classes, conversion operators, variadic-free overloads.
namespace {
int hidden(int x) { return x + 1; }
}  // namespace

namespace outer { namespace inner {
template <typename T, int N> struct Buf {
	T v[N];
	T &operator[](int i) { return v[i]; }
	const T &at(int i) const { return v[i]; }
	Buf &operator+=(const Buf &o) { for (int i = 0; i < N; i++) v[i] += o.v[i]; return *this; }
	bool operator==(const Buf &o) const { return v[0] == o.v[0]; }
	bool operator<(const Buf &o) const { return v[0] < o.v[0]; }
	explicit operator bool() const { return v[0] != 0; }
	template <typename U> U as() const { return (U)v[0]; }
	static int count() { return N; }
};
struct Point { int x, y; Point operator-() const { return {-x, -y}; } };
Point operator+(Point a, Point b) { return {a.x + b.x, a.y + b.y}; }
int dot(const Point &a, const Point &b) { return a.x * b.x + a.y * b.y; }
int volume(volatile int *p, const volatile unsigned char *q) { return *p + *q; }
long long mix(unsigned long long a, signed char b, unsigned short c, wchar_t d, char16_t e,
	      char32_t f, bool g, float h, double i, long double j) {
	return (long long)(a + b + c + d + e + f + g + h + i + j);
}
template <bool B> int pick() { return B ? 1 : 2; }
template <unsigned U> unsigned scaled(unsigned x) { return x * U; }
template <long L> long offset(long x) { return x + L; }
template <char C> char shifted(char x) { return x + C; }
template <typename A, typename B> struct Pair { A a; B b; B second() const { return b; } };
}}  // namespace outer::inner

using namespace outer::inner;

static int counter()
{
	static int n = 0;
	struct Local { static int bump(int &k) { return ++k; } };
	return Local::bump(n);
}

template <typename F> int call_twice(F f) { return f(1) + f(2); }

int mangle_all(int k)
{
	Buf<int, 4> b{};
	Buf<double, 2> c{};
	b[0] = k;
	b += b;
	int s = b.at(0) + (b == b) + (b < b) + (bool)b + b.as<long>() + Buf<int, 4>::count();
	s += (int)c.as<float>() + Buf<char, 3>::count();
	Point p{1, 2}, q = -p;
	p = p + q;
	volatile int vi = 3;
	unsigned char uc = 4;
	s += dot(p, q) + volume(&vi, &uc) + hidden(k) + counter();
	s += (int)mix(1, 2, 3, 4, 5, 6, true, 1.f, 2.0, 3.0L);
	s += pick<true>() + pick<false>() + (int)scaled<7u>(2) + (int)offset<-5L>(3) + shifted<'a'>(1);
	Pair<int, Pair<char, long>> pr{};
	s += (int)pr.second().second();
	s += call_twice([k](int x) { return x * k; });
	s += call_twice([](int x) { return x + 1; });
	return s;
}
