;; F, D and G floating arithmetic on 64-bit integers: the fast path of float.ts.
;;
;; float.ts defines every result exactly, on bigints, and rounds it once. JavaScript has
;; no 64-bit integers, so this module, compiled to WebAssembly (float-core.ts holds the
;; bytes; `pnpm --filter @vax/cpu wasm` rebuilds them), gives the same bits at native
;; speed. float.test.ts checks it bit for bit against the bigint definition.
;;
;; A value is held as a sign, an exponent e and a 64-bit window m with its leading one at
;; bit 62: value = (-1)^sign * m * 2^e, and zero as m = 0. Every F (24-bit), D (56-bit)
;; and G (53-bit) fraction fits with 7 or more bits to spare below it; bit 63 takes a
;; sum's carry.
;;  - Rounding is the SRM's: add the bit below the last kept one, truncate. It needs the
;;    bits down to that guard bit, never a sticky bit below it.
;;  - A product is needed only to 63 fraction bits (POLY truncates to 31 or 63; a rounded
;;    product needs its guard bit, within them): the top 63 bits of the 126-bit product.
;;  - Every value, a product included, is normalized before it is added.
;;  - A sum aligns the smaller operand by shifting it right and truncating; when bits
;;    were lost, the exact sum lies strictly between the truncated result t and t + 1,
;;    and t | 1 ("round to odd") rounds as it does, the rounding point being at least
;;    bit 5: a difference of operands whose exponents differ by 2 or more cancels at
;;    most one bit, and one whose exponents differ by 1 is computed exactly, a's
;;    window doubled into bit 63.
;;
;; Formats: 0 F, 1 D, 2 G. Statuses: 0 fits, 1 overflow, 2 underflow, 3 reserved operand.
;; Results go to memory: the datum's longwords at 1024 and 1028, POLY's underflow flag at
;; 1032. POLY's table is read from memory at 0.
(module
  (memory (export "memory") 1)

  ;; A format's constants, which the exported functions work out once and pass down (a
  ;; call costs more than the work of most of these functions):
  ;;   $tb     fraction bits in the first word below the exponent: 7, or 4 for G
  ;;   $mask   the exponent field's mask: 0xff, or 0x7ff for G
  ;;   $bias   128, or 1024 for G
  ;;   $below  window bits below the fraction's last bit (63 - precision): F 39, D 7, G 10
  ;;   $shift  the second longword's place in the window: 7, or 10 for G

  ;; Unpacks a datum (longwords as read from memory: the first word in the low half).
  ;; Returns sign, exponent, window and ok (0 for a reserved operand).
  (func $unpack (param $f i32) (param $tb i32) (param $mask i32) (param $bias i32)
                 (param $shift i64) (param $l0 i32) (param $l1 i32) (result i32 i32 i64 i32)
    (local $exp i32) (local $top i32)
    (local.set $exp (i32.and (i32.shr_u (local.get $l0) (local.get $tb)) (local.get $mask)))
    (if (i32.eqz (local.get $exp))
      (then (return (i32.const 0) (i32.const 0) (i64.const 0)
                    (i32.eqz (i32.and (local.get $l0) (i32.const 0x8000))))))
    ;; The first longword with its words exchanged: the fraction's leading bits, low.
    (local.set $top
      (i32.or (i32.and (i32.rotl (local.get $l0) (i32.const 16))
                       (i32.sub (i32.shl (i32.const 1) (i32.add (local.get $tb) (i32.const 16)))
                                (i32.const 1)))
              (i32.shl (i32.const 1) (i32.add (local.get $tb) (i32.const 16)))))
    (i32.and (i32.shr_u (local.get $l0) (i32.const 15)) (i32.const 1))
    (i32.sub (i32.sub (local.get $exp) (local.get $bias)) (i32.const 63))
    (i64.shl
      (i64.or (i64.shl (i64.extend_i32_u (local.get $top)) (i64.const 32))
              (select (i64.extend_i32_u (i32.rotl (local.get $l1) (i32.const 16)))
                      (i64.const 0)
                      (local.get $f)))
      (local.get $shift))
    (i32.const 1))

  ;; Normalizes (a carry into bit 63, or leading zeros after a cancellation) and rounds.
  ;; Returns status, exponent, window.
  (func $round (param $mask i32) (param $bias i32) (param $below i64)
                (param $e i32) (param $m i64) (result i32 i32 i64)
    (local $n i64) (local $unit i64) (local $biased i32)
    (if (i64.eqz (local.get $m))
      (then (return (i32.const 0) (i32.const 0) (i64.const 0))))
    (local.set $n (i64.clz (local.get $m)))
    (if (i64.eqz (local.get $n))
      (then
        (local.set $m (i64.or (i64.shr_u (local.get $m) (i64.const 1))
                              (i64.and (local.get $m) (i64.const 1))))
        (local.set $e (i32.add (local.get $e) (i32.const 1))))
      (else
        (if (i64.gt_u (local.get $n) (i64.const 1))
          (then
            (local.set $m (i64.shl (local.get $m) (i64.sub (local.get $n) (i64.const 1))))
            (local.set $e (i32.sub (local.get $e)
                                   (i32.wrap_i64 (i64.sub (local.get $n) (i64.const 1)))))))))
    ;; Add half a unit of the last kept bit, then truncate.
    (local.set $unit (i64.shl (i64.const 1) (local.get $below)))
    (local.set $m (i64.and (i64.add (local.get $m) (i64.shr_u (local.get $unit) (i64.const 1)))
                           (i64.sub (i64.const 0) (local.get $unit))))
    (if (i64.ne (i64.and (local.get $m) (i64.const 0x8000000000000000)) (i64.const 0))
      (then
        (local.set $m (i64.const 0x4000000000000000))
        (local.set $e (i32.add (local.get $e) (i32.const 1)))))
    (local.set $biased (i32.add (i32.add (local.get $e) (i32.const 63)) (local.get $bias)))
    (if (i32.gt_s (local.get $biased) (local.get $mask))
      (then (return (i32.const 1) (local.get $e) (local.get $m))))
    (if (i32.lt_s (local.get $biased) (i32.const 1))
      (then (return (i32.const 2) (local.get $e) (local.get $m))))
    (i32.const 0) (local.get $e) (local.get $m))

  ;; Writes a rounded value's longwords to memory at 1024 and 1028.
  (func $encode (param $f i32) (param $tb i32) (param $bias i32) (param $shift i64)
                 (param $s i32) (param $e i32) (param $m i64)
    (local $mant i64) (local $first i32)
    (if (i64.eqz (local.get $m))
      (then
        (i64.store (i32.const 1024) (i64.const 0))
        (return)))
    (local.set $mant (i64.shr_u (local.get $m) (local.get $shift)))
    (local.set $first
      (i32.or
        (i32.or (i32.shl (local.get $s) (i32.const 31))
                (i32.shl (i32.add (i32.add (local.get $e) (i32.const 63)) (local.get $bias))
                         (i32.add (local.get $tb) (i32.const 16))))
        (i32.and (i32.wrap_i64 (i64.shr_u (local.get $mant) (i64.const 32)))
                 (i32.sub (i32.shl (i32.const 1) (i32.add (local.get $tb) (i32.const 16)))
                          (i32.const 1)))))
    (i32.store (i32.const 1024) (i32.rotl (local.get $first) (i32.const 16)))
    (i32.store (i32.const 1028)
      (select (i32.rotl (i32.wrap_i64 (local.get $mant)) (i32.const 16))
              (i32.const 0)
              (local.get $f))))

  ;; a + b, exactly enough to round: the result's bit 0 is "rounded to odd" (set when
  ;; bits were lost below it), which, two or more bits below the rounding point, rounds
  ;; as the exact sum would. Returns sign, exponent, window (not normalized).
  (func $add (param $sa i32) (param $ea i32) (param $ma i64)
             (param $sb i32) (param $eb i32) (param $mb i64) (result i32 i32 i64)
    (local $d i32) (local $t i64) (local $ti i32) (local $lost i64)
    (if (i64.eqz (local.get $mb))
      (then (return (local.get $sa) (local.get $ea) (local.get $ma))))
    (if (i64.eqz (local.get $ma))
      (then (return (local.get $sb) (local.get $eb) (local.get $mb))))
    ;; a has the larger exponent (or the larger magnitude, at equal exponents).
    (if (i32.or (i32.lt_s (local.get $ea) (local.get $eb))
                (i32.and (i32.eq (local.get $ea) (local.get $eb))
                         (i64.lt_u (local.get $ma) (local.get $mb))))
      (then
        (local.set $ti (local.get $sa)) (local.set $sa (local.get $sb)) (local.set $sb (local.get $ti))
        (local.set $ti (local.get $ea)) (local.set $ea (local.get $eb)) (local.set $eb (local.get $ti))
        (local.set $t (local.get $ma)) (local.set $ma (local.get $mb)) (local.set $mb (local.get $t))))
    (local.set $d (i32.sub (local.get $ea) (local.get $eb)))
    ;; A difference of operands one place apart: exact, a's window doubled (bit 63 is free).
    (if (i32.and (i32.eq (local.get $d) (i32.const 1)) (i32.ne (local.get $sa) (local.get $sb)))
      (then
        (local.set $t (i64.sub (i64.shl (local.get $ma) (i64.const 1)) (local.get $mb)))
        (return (select (i32.const 0) (local.get $sa) (i64.eqz (local.get $t)))
                (i32.sub (local.get $ea) (i32.const 1))
                (local.get $t))))
    ;; b aligned to a, truncated; $lost is 1 when that dropped bits.
    (if (i32.ge_s (local.get $d) (i32.const 64))
      (then
        (local.set $lost (i64.const 1))
        (local.set $mb (i64.const 0)))
      (else
        (if (i32.gt_s (local.get $d) (i32.const 0))
          (then
            (local.set $lost
              (i64.extend_i32_u
                (i64.ne (i64.and (local.get $mb)
                                 (i64.sub (i64.shl (i64.const 1) (i64.extend_i32_u (local.get $d)))
                                          (i64.const 1)))
                        (i64.const 0))))
            (local.set $mb (i64.shr_u (local.get $mb) (i64.extend_i32_u (local.get $d))))))))
    ;; The exact result lies in (t, t + 1) when bits were lost: t | 1 rounds as it does.
    (if (i32.eq (local.get $sa) (local.get $sb))
      (then
        (return (local.get $sa) (local.get $ea)
                (i64.or (i64.add (local.get $ma) (local.get $mb)) (local.get $lost)))))
    (local.set $t (i64.or (i64.sub (i64.sub (local.get $ma) (local.get $mb)) (local.get $lost))
                          (local.get $lost)))
    (select (i32.const 0) (local.get $sa) (i64.eqz (local.get $t)))
    (local.get $ea)
    (local.get $t))

  ;; a * b, the product of the fractions truncated to 63 bits (31 when $short).
  ;; Returns sign, exponent, window.
  (func $multiply (param $sa i32) (param $ea i32) (param $ma i64)
                  (param $sb i32) (param $eb i32) (param $mb i64) (param $short i32)
                  (result i32 i32 i64)
    (local $ah i64) (local $al i64) (local $bh i64) (local $bl i64)
    (local $hl i64) (local $lh i64) (local $ll i64) (local $mid i64) (local $high i64) (local $m i64)
    (local $e i32)
    (if (i32.or (i64.eqz (local.get $ma)) (i64.eqz (local.get $mb)))
      (then (return (i32.const 0) (i32.const 0) (i64.const 0))))
    (local.set $ah (i64.shr_u (local.get $ma) (i64.const 32)))
    (local.set $al (i64.and (local.get $ma) (i64.const 0xffffffff)))
    (local.set $bh (i64.shr_u (local.get $mb) (i64.const 32)))
    (local.set $bl (i64.and (local.get $mb) (i64.const 0xffffffff)))
    (local.set $hl (i64.mul (local.get $ah) (local.get $bl)))
    (local.set $lh (i64.mul (local.get $al) (local.get $bh)))
    (local.set $ll (i64.mul (local.get $al) (local.get $bl)))
    (local.set $mid (i64.add (i64.add (i64.shr_u (local.get $ll) (i64.const 32))
                                      (i64.and (local.get $hl) (i64.const 0xffffffff)))
                             (i64.and (local.get $lh) (i64.const 0xffffffff))))
    (local.set $high
      (i64.add (i64.add (i64.mul (local.get $ah) (local.get $bh))
                        (i64.add (i64.shr_u (local.get $hl) (i64.const 32))
                                 (i64.shr_u (local.get $lh) (i64.const 32))))
               (i64.shr_u (local.get $mid) (i64.const 32))))
    ;; The product is high * 2^64 + (mid mod 2^32) * 2^32 + (ll mod 2^32); its top 63
    ;; bits are bits 63 and up.
    (local.set $m (i64.or (i64.shl (local.get $high) (i64.const 1))
                          (i64.and (i64.shr_u (local.get $mid) (i64.const 31)) (i64.const 1))))
    (if (local.get $short)
      (then (local.set $m (i64.and (local.get $m) (i64.const 0xffffffff00000000)))))
    ;; The fractions' product lies in [1/4, 1): normalized, its leading one at bit 62 as
    ;; every value's (the sum below relies on it), with a 0 shifted in.
    (local.set $e (i32.add (i32.add (local.get $ea) (local.get $eb)) (i32.const 63)))
    (if (i64.eqz (i64.and (local.get $m) (i64.const 0x4000000000000000)))
      (then
        (local.set $m (i64.shl (local.get $m) (i64.const 1)))
        (local.set $e (i32.sub (local.get $e) (i32.const 1)))))
    (i32.xor (local.get $sa) (local.get $sb))
    (local.get $e)
    (local.get $m))

  ;; ADDx/SUBx ($negate: the first operand's sign flipped) and MULx of two data known
  ;; not to be reserved operands: b op a. Returns the status; the datum is at 1024.
  (func (export "arith") (param $f i32) (param $op i32)
                         (param $a0 i32) (param $a1 i32) (param $b0 i32) (param $b1 i32)
                         (result i32)
    (local $sa i32) (local $ea i32) (local $ma i64)
    (local $sb i32) (local $eb i32) (local $mb i64)
    (local $status i32) (local $s i32) (local $e i32) (local $m i64)
    (local $tb i32) (local $mask i32) (local $bias i32) (local $below i64) (local $shift i64)
    (local.set $tb (select (i32.const 4) (i32.const 7) (i32.eq (local.get $f) (i32.const 2))))
    (local.set $mask (select (i32.const 0x7ff) (i32.const 0xff) (i32.eq (local.get $f) (i32.const 2))))
    (local.set $bias (select (i32.const 1024) (i32.const 128) (i32.eq (local.get $f) (i32.const 2))))
    (local.set $shift (select (i64.const 10) (i64.const 7) (i32.eq (local.get $f) (i32.const 2))))
    (local.set $below (select (i64.const 39) (local.get $shift) (i32.eqz (local.get $f))))
    (call $unpack (local.get $f) (local.get $tb) (local.get $mask) (local.get $bias) (local.get $shift)
      (local.get $a0) (local.get $a1))
    (drop) (local.set $ma) (local.set $ea) (local.set $sa)
    (call $unpack (local.get $f) (local.get $tb) (local.get $mask) (local.get $bias) (local.get $shift)
      (local.get $b0) (local.get $b1))
    (drop) (local.set $mb) (local.set $eb) (local.set $sb)
    (if (i32.eq (local.get $op) (i32.const 2))
      (then
        (call $multiply (local.get $sb) (local.get $eb) (local.get $mb)
                        (local.get $sa) (local.get $ea) (local.get $ma) (i32.const 0))
        (local.set $m) (local.set $e) (local.set $s))
      (else
        (if (i32.and (i32.eq (local.get $op) (i32.const 1)) (i64.ne (local.get $ma) (i64.const 0)))
          (then (local.set $sa (i32.xor (local.get $sa) (i32.const 1)))))
        (call $add (local.get $sb) (local.get $eb) (local.get $mb)
                   (local.get $sa) (local.get $ea) (local.get $ma))
        (local.set $m) (local.set $e) (local.set $s)))
    (call $round (local.get $mask) (local.get $bias) (local.get $below) (local.get $e) (local.get $m))
    (local.set $m) (local.set $e) (local.set $status)
    (if (i32.eqz (local.get $status))
      (then (call $encode (local.get $f) (local.get $tb) (local.get $bias) (local.get $shift) (local.get $s) (local.get $e) (local.get $m))))
    (local.get $status))

  ;; POLYx (SRM "POLY"): Horner's method over the first $entries entries of the table at
  ;; memory 0 (one longword each for F, two for D and G; the highest-order first), the
  ;; argument a0:a1 (not a reserved operand). Each step multiplies the partial result by
  ;; the argument, truncating the product of the fractions to 31 (F) or 63 bits, adds the
  ;; next coefficient and rounds; an underflow makes the partial result 0 and sets the
  ;; flag at 1032. Returns 0 with the result at 1024, or 1 at the first overflow, or 3 at
  ;; the first reserved operand in the table.
  (func (export "poly") (param $f i32) (param $a0 i32) (param $a1 i32) (param $entries i32)
                        (result i32)
    (local $sa i32) (local $ea i32) (local $ma i64)
    (local $sc i32) (local $ec i32) (local $mc i64)
    (local $s i32) (local $e i32) (local $m i64)
    (local $ok i32) (local $status i32) (local $i i32) (local $size i32) (local $at i32)
    (local $tb i32) (local $mask i32) (local $bias i32) (local $below i64) (local $shift i64)
    (local.set $tb (select (i32.const 4) (i32.const 7) (i32.eq (local.get $f) (i32.const 2))))
    (local.set $mask (select (i32.const 0x7ff) (i32.const 0xff) (i32.eq (local.get $f) (i32.const 2))))
    (local.set $bias (select (i32.const 1024) (i32.const 128) (i32.eq (local.get $f) (i32.const 2))))
    (local.set $shift (select (i64.const 10) (i64.const 7) (i32.eq (local.get $f) (i32.const 2))))
    (local.set $below (select (i64.const 39) (local.get $shift) (i32.eqz (local.get $f))))
    (local.set $size (select (i32.const 8) (i32.const 4) (local.get $f)))
    (i32.store (i32.const 1032) (i32.const 0))
    (call $unpack (local.get $f) (local.get $tb) (local.get $mask) (local.get $bias) (local.get $shift)
      (local.get $a0) (local.get $a1))
    (drop) (local.set $ma) (local.set $ea) (local.set $sa)
    (call $unpack (local.get $f) (local.get $tb) (local.get $mask) (local.get $bias) (local.get $shift)
      (i32.load (i32.const 0)) (i32.load (i32.const 4)))
    (local.set $ok) (local.set $m) (local.set $e) (local.set $s)
    (if (i32.eqz (local.get $ok)) (then (return (i32.const 3))))
    (local.set $i (i32.const 1))
    (block $done
      (loop $step
        (br_if $done (i32.ge_u (local.get $i) (local.get $entries)))
        (call $multiply (local.get $s) (local.get $e) (local.get $m)
                        (local.get $sa) (local.get $ea) (local.get $ma) (i32.eqz (local.get $f)))
        (local.set $m) (local.set $e) (local.set $s)
        (local.set $at (i32.mul (local.get $i) (local.get $size)))
        (call $unpack (local.get $f) (local.get $tb) (local.get $mask) (local.get $bias) (local.get $shift)
      (i32.load (local.get $at))
                      (i32.load (i32.add (local.get $at) (i32.const 4))))
        (local.set $ok) (local.set $mc) (local.set $ec) (local.set $sc)
        (if (i32.eqz (local.get $ok)) (then (return (i32.const 3))))
        (call $add (local.get $s) (local.get $e) (local.get $m)
                   (local.get $sc) (local.get $ec) (local.get $mc))
        (local.set $m) (local.set $e) (local.set $s)
        (call $round (local.get $mask) (local.get $bias) (local.get $below) (local.get $e) (local.get $m))
        (local.set $m) (local.set $e) (local.set $status)
        (if (i32.eq (local.get $status) (i32.const 1)) (then (return (i32.const 1))))
        (if (i32.eq (local.get $status) (i32.const 2))
          (then
            (i32.store (i32.const 1032) (i32.const 1))
            (local.set $s (i32.const 0))
            (local.set $e (i32.const 0))
            (local.set $m (i64.const 0))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $step)))
    (call $encode (local.get $f) (local.get $tb) (local.get $bias) (local.get $shift) (local.get $s) (local.get $e) (local.get $m))
    (i32.const 0))
)
