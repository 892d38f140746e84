/* inline_util.h: an inline function from a header (another file in the line table). */
static inline int clamp(int x, int lo, int hi)
{
	if (x < lo)
		return lo;
	if (x > hi)
		return hi;
	return x;
}
