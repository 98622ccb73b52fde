// C++ functions for argdist's tests: methods (this comes first), a static
// method, a virtual method, overloads, a namespace, a class passed by
// value that is not trivially copyable (the ABI passes its address), and
// small structs passed and returned in registers.
#include <cstdio>
#include <stdexcept>

#define TRACED __attribute__((noipa))

struct Point {
  int x, y;
};

class Counter {
 public:
  TRACED void add(int amount) { total_ += amount; }
  TRACED long total() const { return total_; }
  TRACED static int twice(int v) { return 2 * v; }
  TRACED virtual double ratio(double d) const { return total_ / d; }
  virtual ~Counter() = default;

 private:
  long total_ = 0;
};

class Tracked {
 public:
  explicit Tracked(int v) : value(v) {}
  Tracked(const Tracked& other) : value(other.value) {}
  ~Tracked() {}
  int value;
};

TRACED int by_value(Tracked t, int extra) { return t.value + extra; }
TRACED int overloaded(int x) { return x + 1; }
TRACED double overloaded(double x) { return x / 2; }
TRACED Point shift(Point p, int dx) { return Point{p.x + dx, p.y}; }

// An exception thrown through two traced frames: both are unwound, not
// returned from.
TRACED int thrower(int x) {
  if (x > 2) throw std::runtime_error("too big");
  return x;
}
TRACED int middle(int x) { return thrower(x) * 2 + 1; }

namespace geo {
TRACED double area(double width, double height) { return width * height; }
}  // namespace geo

int main() {
  Counter c;
  for (int i = 1; i <= 4; ++i) c.add(i);
  long t = c.total();
  const Counter* base = &c;
  double r = base->ratio(4.0);
  int tw = Counter::twice(21);
  Tracked tracked(5);
  int b = 0;
  for (int i = 0; i < 3; ++i) b += by_value(tracked, i);
  int o = overloaded(1) + overloaded(2);
  double od = overloaded(3.0);
  Point p{1, 2};
  for (int i = 0; i < 2; ++i) p = shift(p, 10);
  double a = geo::area(2.0, 3.5);
  int caught = 0;
  for (int i = 0; i < 5; ++i) {
    try {
      b += middle(i);
    } catch (const std::runtime_error&) {
      ++caught;
    }
  }
  std::printf("caught %d\n", caught);
  std::printf("%ld %g %d %d %d %g %d %g\n", t, r, tw, b, o, od, p.x, a);
  return 0;
}
