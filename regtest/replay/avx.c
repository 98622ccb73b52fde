/* AVX, AVX2, FMA and F16C on ymm registers: float/double arithmetic,
   permutes across lanes (vperm2f128, vpermd, vpermq, vpermps), broadcasts,
   masked loads/stores, variable shifts, gathers (vpgatherdd, vgatherqpd),
   fused multiply-add in every form, half-precision conversion.
   Built with -mavx2 -mfma -mf16c. */
#include "guest_rt.h"

#include <immintrin.h>

static uint64_t mixy(uint64_t h, __m256i v) {
  uint64_t w[4];
  _mm256_storeu_si256((__m256i*)w, v);
  for (int i = 0; i < 4; ++i) h = mix(h, w[i]);
  return h;
}
static uint64_t mixps(uint64_t h, __m256 v) { return mixy(h, _mm256_castps_si256(v)); }
static uint64_t mixpd(uint64_t h, __m256d v) { return mixy(h, _mm256_castpd_si256(v)); }
static uint64_t mixx(uint64_t h, __m128i v) {
  uint64_t w[2];
  _mm_storeu_si128((__m128i*)w, v);
  return mix(mix(h, w[0]), w[1]);
}

static __m256 ps8(float base, float step) {
  __m256 v = _mm256_setr_ps(base, base + step, base - 2 * step, base * step,
                            -base, step, base / 3, base + 100);
  __asm__ volatile("" : "+x"(v));
  return v;
}
static __m256i epi32x8(int base) {
  __m256i v = _mm256_setr_epi32(base, base * 3, -base, 0x7fffffff, base << 7,
                                (int)0x80000000, 7, base ^ 0x5a5a);
  __asm__ volatile("" : "+x"(v));
  return v;
}

static uint64_t avx_float(void) {
  uint64_t h = CHECKSUM_SEED;
  __m256 a = ps8(1.5f, 0.25f), b = ps8(-3.0f, 7.0f);
  __m256d c = _mm256_setr_pd(1.0 / 7.0, -2.5, 1e100, 3.0);
  __m256d d = _mm256_setr_pd(7.0, 0.5, -1e-100, 3.0);
  h = mixps(h, _mm256_add_ps(a, b));
  h = mixps(h, _mm256_mul_ps(a, b));
  h = mixps(h, _mm256_div_ps(a, b));
  h = mixps(h, _mm256_sqrt_ps(_mm256_mul_ps(a, a)));
  h = mixps(h, _mm256_max_ps(a, b));
  h = mixps(h, _mm256_cmp_ps(a, b, _CMP_LE_OQ));
  h = mixps(h, _mm256_hadd_ps(a, b));
  h = mixps(h, _mm256_addsub_ps(a, b));
  h = mixps(h, _mm256_dp_ps(a, b, 0xff));
  h = mixps(h, _mm256_blendv_ps(a, b, _mm256_cmp_ps(a, b, _CMP_LT_OS)));
  h = mixps(h, _mm256_permute_ps(a, 0x1b));
  h = mixps(h, _mm256_permute2f128_ps(a, b, 0x21));
  h = mixps(h, _mm256_unpackhi_ps(a, b));
  h = mixps(h, _mm256_round_ps(a, _MM_FROUND_TO_NEG_INF));
  static const float broadcast_me = -6.5f;
  h = mixps(h, _mm256_broadcast_ss(&broadcast_me));
  h = mixpd(h, _mm256_add_pd(c, d));
  h = mixpd(h, _mm256_div_pd(c, d));
  h = mixpd(h, _mm256_sqrt_pd(_mm256_mul_pd(d, d)));
  h = mixpd(h, _mm256_hadd_pd(c, d));
  h = mixpd(h, _mm256_permute4x64_pd(c, 0x9c));
  h = mixpd(h, _mm256_cvtps_pd(_mm256_castps256_ps128(a)));
  h = mixx(h, _mm256_cvttpd_epi32(c));
  h = mixy(h, _mm256_cvtps_epi32(b));
  h = mix(h, (uint64_t)_mm256_movemask_ps(b));
  h = mix(h, (uint64_t)_mm256_testc_ps(a, b));
  h = mixps(h, _mm256_insertf128_ps(a, _mm256_extractf128_ps(b, 1), 0));
  return h;
}

static uint64_t avx2_integer(void) {
  uint64_t h = CHECKSUM_SEED;
  __m256i a = epi32x8(0x1234567), b = epi32x8(-99);
  __m256i idx = _mm256_setr_epi32(7, 0, 6, 1, 5, 2, 4, 3);
  h = mixy(h, _mm256_add_epi32(a, b));
  h = mixy(h, _mm256_mullo_epi32(a, b));
  h = mixy(h, _mm256_mul_epu32(a, b));
  h = mixy(h, _mm256_adds_epi16(a, b));
  h = mixy(h, _mm256_sad_epu8(a, b));
  h = mixy(h, _mm256_max_epi32(a, b));
  h = mixy(h, _mm256_cmpgt_epi64(a, b));
  h = mixy(h, _mm256_shuffle_epi8(a, b));
  h = mixy(h, _mm256_permutevar8x32_epi32(a, idx));
  h = mixy(h, _mm256_permute4x64_epi64(a, 0x4e));
  h = mixy(h, _mm256_permute2x128_si256(a, b, 0x13));
  h = mixy(h, _mm256_alignr_epi8(a, b, 9));
  h = mixy(h, _mm256_sllv_epi32(a, idx));
  h = mixy(h, _mm256_srav_epi32(b, idx));
  h = mixy(h, _mm256_srlv_epi64(a, idx));
  h = mixy(h, _mm256_slli_si256(a, 3));
  h = mixy(h, _mm256_unpacklo_epi16(a, b));
  h = mixy(h, _mm256_packs_epi32(a, b));
  h = mixy(h, _mm256_blend_epi32(a, b, 0x96));
  h = mixy(h, _mm256_broadcastd_epi32(_mm256_castsi256_si128(b)));
  h = mixy(h, _mm256_cvtepu8_epi32(_mm256_castsi256_si128(a)));
  h = mixy(h, _mm256_madd_epi16(a, b));
  h = mixy(h, _mm256_abs_epi32(b));
  h = mix(h, (uint64_t)_mm256_movemask_epi8(b));
  h = mixx(h, _mm256_extracti128_si256(a, 1));
  return h;
}

static int32_t table[64];
static double dtable[16];

static uint64_t memory_forms(void) {
  uint64_t h = CHECKSUM_SEED;
  for (int i = 0; i < 64; ++i) table[i] = i * i - 100;
  for (int i = 0; i < 16; ++i) dtable[i] = i * 0.5 - 1;
  __m256i idx = _mm256_setr_epi32(63, 0, 17, 5, 5, 40, 2, 31);
  h = mixy(h, _mm256_i32gather_epi32(table, idx, 4));
  __m256i mask = _mm256_setr_epi32(-1, 0, -1, -1, 0, 0, -1, 0);
  __m256i src = _mm256_set1_epi32(0x0badf00d);
  h = mixy(h, _mm256_mask_i32gather_epi32(src, table, idx, mask, 4));
  h = mixpd(h, _mm256_i64gather_pd(dtable, _mm256_setr_epi64x(15, 3, 0, 9), 8));
  h = mixy(h, _mm256_maskload_epi32(table + 3, mask));
  _mm256_maskstore_epi32(table + 8, mask, idx);
  h = mix_bytes(h, table, sizeof table);
  return h;
}

static uint64_t fma_and_f16c(void) {
  uint64_t h = CHECKSUM_SEED;
  __m256 a = ps8(1.0f / 3.0f, 1e-4f), b = ps8(3.0f, -0.125f), c = ps8(-1.0f, 5.0f);
  __m256d x = _mm256_setr_pd(0.1, 1.0 / 3.0, -7.0, 1e-300);
  __m256d y = _mm256_setr_pd(10.0, 3.0, 1.0 / 7.0, 1e-300);
  __m256d z = _mm256_setr_pd(-1.0, -1.0, 1.0, 0.0);
  h = mixps(h, _mm256_fmadd_ps(a, b, c));
  h = mixps(h, _mm256_fmsub_ps(a, b, c));
  h = mixps(h, _mm256_fnmadd_ps(a, b, c));
  h = mixps(h, _mm256_fmaddsub_ps(a, b, c));
  h = mixpd(h, _mm256_fmadd_pd(x, y, z)); /* exact residues of rounding */
  h = mixpd(h, _mm256_fnmsub_pd(x, y, z));
  __m128d s = _mm_fmadd_sd(_mm256_castpd256_pd128(x), _mm256_castpd256_pd128(y),
                           _mm256_castpd256_pd128(z));
  /* Only the low lane: VEX 3.19 zeroes bits 127:64 of a scalar VEX-encoded
     FMA (vfmadd132sd), where the CPU keeps the first source's. */
  h = mix(h, (uint64_t)_mm_cvtsi128_si64(_mm_castpd_si128(s)));
  __m128i halves = _mm256_cvtps_ph(a, _MM_FROUND_TO_NEAREST_INT);
  h = mixx(h, halves);
  h = mixps(h, _mm256_cvtph_ps(halves));
  return h;
}

int main(void) {
  put("avx_float", avx_float());
  put("avx2_integer", avx2_integer());
  put("memory_forms", memory_forms());
  put("fma_and_f16c", fma_and_f16c());
  return 0;
}
