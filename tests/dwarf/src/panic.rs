// panic.rs: a Rust program that panics three calls deep (through an iterator
// closure), for wlab-run's backtrace check in tests/dwarf/dwarf_test.py.
fn parse(s: &str) -> u32 {
    s.parse::<u32>().unwrap()
}

#[inline(never)]
fn deeper(v: &[&str]) -> u32 {
    v.iter().map(|s| parse(s)).sum()
}

fn main() {
    let args = ["1", "2", "x3"];
    println!("{}", deeper(&args));
}
