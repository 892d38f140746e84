// cxxtrap.cpp: wlab-run's demangled backtraces (tests/run/cli.sh builds it at -O0 -g
// and at -O2 -g, without a C++ library): run(0) divides by zero in a member function.
namespace calc {
struct Ratio {
	int d;
	int of(int x) const { return x / d; }
};
template <typename T> T apply(const Ratio &r, T x)
{
	return r.of(x) + 1;
}
}  // namespace calc

extern "C" int run(int d)
{
	calc::Ratio r{d};
	return calc::apply<int>(r, 7);
}
