// names.rs: Rust names for the demangler test (tests/dwarf/dwarf_test.py): generics,
// const generics of every kind, trait impls, closures, dyn, fn pointers, tuples and
// non-ASCII identifiers (Punycode in v0 names, $u..$ escapes in legacy ones). Built
// natively (rustc -C opt-level=0 --emit=obj) when rustc is installed; only the
// object's symbol names are used.
#![allow(dead_code, non_snake_case, uncommon_codepoints)]
use std::collections::HashMap;
use std::fmt::Debug;

pub struct Wrapper<T, const N: usize> { items: [T; N] }
impl<T: Copy + Default + Debug, const N: usize> Wrapper<T, N> {
    #[inline(never)] pub fn new() -> Self { Wrapper { items: [T::default(); N] } }
    #[inline(never)] pub fn first(&self) -> T { self.items[0] }
}
pub trait Shape { fn area(&self) -> f64; fn name(&self) -> String { String::from("shape") } }
pub struct Circle(f64);
pub struct Carré(f64);
impl Shape for Circle { fn area(&self) -> f64 { 3.14 * self.0 * self.0 } }
impl Shape for Carré { fn area(&self) -> f64 { self.0 * self.0 } fn name(&self) -> String { "carré".into() } }
#[inline(never)] pub fn größe(x: u32) -> u32 { x + 1 }
#[inline(never)] pub fn 東京(x: u32) -> u32 { x * 2 }
#[inline(never)] pub fn flag<const B: bool>() -> bool { B }
#[inline(never)] pub fn letter<const C: char>() -> char { C }
#[inline(never)] pub fn neg<const I: i64>() -> i64 { I }
#[inline(never)] pub fn apply<F: Fn(u32) -> u32>(f: F, v: u32) -> u32 { f(v) }
#[inline(never)] pub fn dynamic(s: &dyn Shape) -> f64 { s.area() }
#[inline(never)] pub fn fnptr(f: fn(&str, &mut [u8]) -> Option<(i8, u16)>) -> usize { f as usize }
#[inline(never)] pub fn raw(p: *const u8, q: *mut [u64; 4]) -> usize { p as usize + q as usize }
#[inline(never)] pub fn tuple(t: (u8, i128, char, ())) -> u8 { t.0 }
mod inner { pub mod deeper { #[inline(never)] pub fn f<T: std::fmt::Display>(x: T) -> String { format!("{}", x) } } }
pub fn main() { use_more();
    let w: Wrapper<u8, 3> = Wrapper::new(); println!("{:?}", w.first());
    let w2: Wrapper<f32, 7> = Wrapper::new(); println!("{:?}", w2.first());
    let shapes: Vec<Box<dyn Shape>> = vec![Box::new(Circle(1.0)), Box::new(Carré(2.0))];
    for s in &shapes { println!("{} {}", s.name(), dynamic(s.as_ref())); }
    println!("{} {} {} {} {}", größe(1), 東京(2), flag::<true>(), letter::<'ß'>(), neg::<-5>());
    println!("{}", apply(|x| x + 3, 4));
    let mut m: HashMap<String, Vec<(u8, i32)>> = HashMap::new(); m.insert("a".into(), vec![(1, 2)]);
    println!("{:?} {}", m, inner::deeper::f(3.5));
    println!("{} {} {}", fnptr(|_, _| None), raw(std::ptr::null(), std::ptr::null_mut()), tuple((1, 2, 'x', ())));
}
pub mod ünïcödé_mod { #[inline(never)] pub fn λ_fn<T>(x: T) -> T { x } pub struct Ωmega; impl Ωmega { #[inline(never)] pub fn 測試(&self) -> u8 { 7 } } }
#[inline(never)] pub fn use_more() { println!("{} {}", ünïcödé_mod::λ_fn(3u16), ünïcödé_mod::Ωmega.測試()); }
