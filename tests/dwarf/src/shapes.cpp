// shapes.cpp: a DWARF test program in C++ without its library: namespaces,
// classes with virtual functions, templates, inline member functions, lambdas
// (mangled linkage names, specifications, abstract origins).
namespace geo {
struct Shape {
	virtual ~Shape() {}
	virtual long area() const = 0;
	long twice() const { return 2 * area(); }
};
struct Rect : Shape {
	long w, h;
	Rect(long a, long b) : w(a), h(b) {}
	long area() const override { return w * h; }
};
struct Square : Rect {
	explicit Square(long s) : Rect(s, s) {}
	long area() const override { return Rect::area(); }
};
template <typename T> T sum(const T *v, int n)
{
	T s = 0;
	for (int i = 0; i < n; i++)
		s += v[i];
	return s;
}
}  // namespace geo

template <typename F> static long apply(F f, long x)
{
	return f(x) + f(x + 1);
}

extern "C" long run(long n)
{
	geo::Rect r(n, n + 1);
	geo::Square s(n);
	const geo::Shape *shapes[2] = {&r, &s};
	long total = 0;
	for (int i = 0; i < 2; i++)
		total += shapes[i]->twice();
	long vals[4] = {n, total, 3, 4};
	double dv[2] = {1.5, 2.5};
	total += geo::sum(vals, 4) + (long)geo::sum(dv, 2);
	total += apply([n](long x) { return x * n; }, 7);
	return total;
}

extern "C" void operator_delete_stub(void *) {}
void operator delete(void *p) noexcept { operator_delete_stub(p); }
