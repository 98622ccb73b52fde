/* SSE through SSE4.2: packed and scalar float/double arithmetic,
   comparisons and conversions (under every MXCSR rounding mode), integer
   SIMD, shuffles, SSSE3 (pshufb, palignr, ...), SSE4.1 (blends, rounding,
   dot products, ptest, min/max, extract/insert), SSE4.2 (pcmpistri and
   friends, crc32), pclmulqdq and AES.  Built with -msse4.2 -mpclmul -maes. */
#include "guest_rt.h"

#include <immintrin.h>

static uint64_t mixv(uint64_t h, __m128i v) {
  uint64_t w[2];
  _mm_storeu_si128((__m128i*)w, v);
  return mix(mix(h, w[0]), w[1]);
}
static uint64_t mixps(uint64_t h, __m128 v) { return mixv(h, _mm_castps_si128(v)); }
static uint64_t mixpd(uint64_t h, __m128d v) { return mixv(h, _mm_castpd_si128(v)); }

/* Opaque to the compiler: keeps operations from being folded away. */
static __m128 ps(float a, float b, float c, float d) {
  __m128 v = _mm_setr_ps(a, b, c, d);
  __asm__ volatile("" : "+x"(v));
  return v;
}
static __m128d pd(double a, double b) {
  __m128d v = _mm_setr_pd(a, b);
  __asm__ volatile("" : "+x"(v));
  return v;
}
static __m128i epi32(int a, int b, int c, int d) {
  __m128i v = _mm_setr_epi32(a, b, c, d);
  __asm__ volatile("" : "+x"(v));
  return v;
}

static uint64_t float_ops(void) {
  uint64_t h = CHECKSUM_SEED;
  __m128 a = ps(1.5f, -2.25f, 1e-3f, 3e7f), b = ps(0.5f, 4.0f, -7.0f, 0.0f);
  __m128 inf_nan = _mm_castsi128_ps(epi32(0x7f800000, 0x7fc00000, -0, 1));
  h = mixps(h, _mm_add_ps(a, b));
  h = mixps(h, _mm_sub_ps(a, b));
  h = mixps(h, _mm_mul_ps(a, b));
  h = mixps(h, _mm_div_ps(a, b));
  h = mixps(h, _mm_sqrt_ps(_mm_andnot_ps(_mm_set1_ps(-0.0f), a)));
  h = mixps(h, _mm_min_ps(a, inf_nan));
  h = mixps(h, _mm_max_ps(inf_nan, b));
  h = mixps(h, _mm_cmplt_ps(a, b));
  h = mixps(h, _mm_cmpunord_ps(a, inf_nan));
  h = mixps(h, _mm_cmpneq_ps(b, inf_nan));
  h = mixps(h, _mm_shuffle_ps(a, b, 0x1b));
  h = mixps(h, _mm_unpackhi_ps(a, b));
  h = mixps(h, _mm_movehl_ps(a, b));
  h = mix(h, (uint64_t)_mm_movemask_ps(_mm_sub_ps(b, a)));
  h = mixps(h, _mm_add_ss(a, b));
  h = mixps(h, _mm_sqrt_ss(b));
  h = mix(h, (uint64_t)_mm_comilt_ss(a, b));
  h = mix(h, (uint64_t)_mm_ucomieq_ss(inf_nan, inf_nan));
  h = mixps(h, _mm_hadd_ps(a, b));
  h = mixps(h, _mm_addsub_ps(a, b));
  h = mixps(h, _mm_dp_ps(a, b, 0xf3));
  h = mixps(h, _mm_blend_ps(a, b, 0x5));
  h = mixps(h, _mm_blendv_ps(a, b, _mm_cmplt_ps(a, b)));
  h = mixps(h, _mm_insert_ps(a, b, 0x9c));
  return h;
}

static uint64_t double_ops(void) {
  uint64_t h = CHECKSUM_SEED;
  __m128d a = pd(1.0 / 3.0, -1e300), b = pd(3.0, 1e-300);
  h = mixpd(h, _mm_add_pd(a, b));
  h = mixpd(h, _mm_mul_pd(a, b));
  h = mixpd(h, _mm_div_pd(b, a));
  h = mixpd(h, _mm_sqrt_pd(b));
  h = mixpd(h, _mm_min_sd(a, b));
  h = mixpd(h, _mm_max_pd(a, b));
  h = mixpd(h, _mm_cmple_pd(a, b));
  h = mixpd(h, _mm_hadd_pd(a, b));
  h = mixpd(h, _mm_addsub_pd(a, b));
  h = mixpd(h, _mm_dp_pd(a, b, 0x31));
  h = mixpd(h, _mm_unpacklo_pd(a, b));
  h = mixpd(h, _mm_shuffle_pd(a, b, 1));
  h = mix(h, (uint64_t)_mm_comigt_sd(a, b));
  h = mix(h, (uint64_t)_mm_movemask_pd(a));
  for (int mode = 0; mode < 5; ++mode) {
    static const int modes[] = {_MM_FROUND_TO_NEAREST_INT, _MM_FROUND_TO_NEG_INF,
                                _MM_FROUND_TO_POS_INF, _MM_FROUND_TO_ZERO,
                                _MM_FROUND_CUR_DIRECTION};
    __m128d x = pd(2.5, -7.5);
    switch (modes[mode]) {
      case _MM_FROUND_TO_NEAREST_INT: h = mixpd(h, _mm_round_pd(x, 0)); break;
      case _MM_FROUND_TO_NEG_INF: h = mixpd(h, _mm_round_pd(x, 1)); break;
      case _MM_FROUND_TO_POS_INF: h = mixpd(h, _mm_round_pd(x, 2)); break;
      case _MM_FROUND_TO_ZERO: h = mixpd(h, _mm_round_pd(x, 3)); break;
      default: h = mixpd(h, _mm_round_sd(x, x, 4)); break;
    }
  }
  return h;
}

/* Conversions under each MXCSR rounding mode. */
static uint64_t conversions(void) {
  uint64_t h = CHECKSUM_SEED;
  unsigned saved = _mm_getcsr();
  for (unsigned rc = 0; rc < 4; ++rc) {
    _mm_setcsr((saved & ~0x6000u) | (rc << 13));
    __m128 f = ps(2.5f, -3.5f, 0.49f, 1e9f);
    __m128d d = pd(-2.5, 7.5);
    h = mixv(h, _mm_cvtps_epi32(f));
    h = mixv(h, _mm_cvttps_epi32(f));
    h = mixv(h, _mm_cvtpd_epi32(d));
    h = mixpd(h, _mm_cvtps_pd(f));
    h = mixps(h, _mm_cvtpd_ps(pd(1.0 / 3.0, 1e40)));
    h = mixps(h, _mm_cvtepi32_ps(epi32(16777217, -3, 0x7fffffff, 5)));
    h = mix(h, (uint64_t)_mm_cvtsd_si64(d));
    h = mix(h, (uint64_t)_mm_cvttsd_si64(d));
    h = mix(h, (uint64_t)_mm_cvtss_si32(f));
    h = mixpd(h, _mm_cvtsi64_sd(d, 0x123456789abcdefLL));
    h = mixps(h, _mm_round_ps(f, _MM_FROUND_CUR_DIRECTION));
  }
  _mm_setcsr(saved);
  return h;
}

static uint64_t integer_ops(void) {
  uint64_t h = CHECKSUM_SEED;
  __m128i a = epi32(0x01ff7f80, (int)0xfffe0002, 0x12345678, (int)0x80000001);
  __m128i b = epi32(0x7f017f7f, 0x00030004, (int)0xdeadbeef, 0x7fffffff);
  h = mixv(h, _mm_add_epi8(a, b));
  h = mixv(h, _mm_adds_epi8(a, b));
  h = mixv(h, _mm_adds_epu8(a, b));
  h = mixv(h, _mm_subs_epi16(a, b));
  h = mixv(h, _mm_add_epi64(a, b));
  h = mixv(h, _mm_mullo_epi16(a, b));
  h = mixv(h, _mm_mulhi_epi16(a, b));
  h = mixv(h, _mm_mulhi_epu16(a, b));
  h = mixv(h, _mm_mul_epu32(a, b));
  h = mixv(h, _mm_madd_epi16(a, b));
  h = mixv(h, _mm_sad_epu8(a, b));
  h = mixv(h, _mm_avg_epu8(a, b));
  h = mixv(h, _mm_min_epu8(a, b));
  h = mixv(h, _mm_max_epi16(a, b));
  h = mixv(h, _mm_cmpeq_epi8(a, b));
  h = mixv(h, _mm_cmpgt_epi32(a, b));
  h = mixv(h, _mm_andnot_si128(a, b));
  h = mixv(h, _mm_slli_epi16(a, 3));
  h = mixv(h, _mm_srli_epi64(a, 13));
  h = mixv(h, _mm_srai_epi16(a, 5));
  h = mixv(h, _mm_sll_epi32(a, _mm_cvtsi32_si128(7)));
  h = mixv(h, _mm_slli_si128(a, 5));
  h = mixv(h, _mm_srli_si128(a, 11));
  h = mixv(h, _mm_unpacklo_epi8(a, b));
  h = mixv(h, _mm_unpackhi_epi32(a, b));
  h = mixv(h, _mm_packs_epi16(a, b));
  h = mixv(h, _mm_packus_epi16(a, b));
  h = mixv(h, _mm_shuffle_epi32(a, 0x4e));
  h = mixv(h, _mm_shufflelo_epi16(a, 0x1b));
  h = mixv(h, _mm_shufflehi_epi16(b, 0xb1));
  h = mix(h, (uint64_t)_mm_movemask_epi8(a));
  h = mix(h, (uint64_t)_mm_extract_epi16(b, 5));
  h = mixv(h, _mm_insert_epi16(a, 0xbeef, 2));
  return h;
}

static uint64_t ssse3_sse41(void) {
  uint64_t h = CHECKSUM_SEED;
  __m128i a = epi32(0x03020100, 0x07060504, (int)0x8b0a0988, 0x0f0e0d8c);
  __m128i b = epi32(0x11223344, (int)0x89abcdef, -5, 0x7fff8000);
  h = mixv(h, _mm_shuffle_epi8(b, a));
  h = mixv(h, _mm_alignr_epi8(a, b, 5));
  h = mixv(h, _mm_abs_epi8(b));
  h = mixv(h, _mm_hadd_epi16(a, b));
  h = mixv(h, _mm_maddubs_epi16(a, b));
  h = mixv(h, _mm_mulhrs_epi16(a, b));
  h = mixv(h, _mm_sign_epi8(a, b));
  h = mixv(h, _mm_blendv_epi8(a, b, a));
  h = mixv(h, _mm_blend_epi16(a, b, 0xa5));
  h = mixv(h, _mm_min_epi32(a, b));
  h = mixv(h, _mm_max_epu32(a, b));
  h = mixv(h, _mm_mullo_epi32(a, b));
  h = mixv(h, _mm_mul_epi32(a, b));
  h = mix(h, (uint64_t)_mm_testz_si128(a, b));
  h = mix(h, (uint64_t)_mm_testc_si128(a, b));
  h = mix(h, (uint64_t)_mm_extract_epi8(b, 13));
  h = mix(h, (uint64_t)_mm_extract_epi64(b, 1));
  h = mixv(h, _mm_insert_epi32(a, 0x5a5a5a5a, 3));
  h = mixv(h, _mm_cvtepu8_epi16(b));
  h = mixv(h, _mm_cvtepi32_epi64(b));
  h = mixv(h, _mm_packus_epi32(a, b));
  h = mixv(h, _mm_minpos_epu16(b));
  h = mixv(h, _mm_mpsadbw_epu8(a, b, 5));
  h = mixv(h, _mm_cmpeq_epi64(a, a));
  h = mixv(h, _mm_cmpgt_epi64(a, b));
  return h;
}

static uint64_t sse42_and_crypto(void) {
  uint64_t h = CHECKSUM_SEED;
  __m128i text = _mm_loadu_si128((const __m128i*)"hello, world 42!");
  __m128i set = _mm_loadu_si128((const __m128i*)"lo\0\0\0\0\0\0\0\0\0\0\0\0\0\0");
  __m128i range = _mm_loadu_si128((const __m128i*)"az09\0\0\0\0\0\0\0\0\0\0\0\0");
  h = mix(h, (uint64_t)_mm_cmpistri(set, text, _SIDD_CMP_EQUAL_ANY));
  h = mix(h, (uint64_t)_mm_cmpistri(range, text,
                                    _SIDD_CMP_RANGES | _SIDD_NEGATIVE_POLARITY));
  h = mix(h, (uint64_t)_mm_cmpistri(text, text,
                                    _SIDD_CMP_EQUAL_EACH | _SIDD_NEGATIVE_POLARITY));
  h = mixv(h, _mm_cmpistrm(set, text, _SIDD_CMP_EQUAL_ANY | _SIDD_UNIT_MASK));
  h = mix(h, (uint64_t)_mm_cmpestri(set, 2, text, 16, _SIDD_CMP_EQUAL_ORDERED));
  h = mix(h, (uint64_t)_mm_cmpistrz(set, text, _SIDD_CMP_EQUAL_ANY));
  uint64_t crc = 0xffffffff;
  for (int i = 0; i < 16; ++i) crc = _mm_crc32_u8((uint32_t)crc, (uint8_t)(i * 37));
  crc = _mm_crc32_u64(crc, 0x0123456789abcdefULL);
  crc = _mm_crc32_u16((uint32_t)crc, 0xbeef);
  h = mix(h, crc);
  __m128i x = epi32(0x12345678, (int)0x9abcdef0, 0x0fedcba9, (int)0x87654321);
  h = mixv(h, _mm_clmulepi64_si128(x, text, 0x01));
  h = mixv(h, _mm_clmulepi64_si128(x, x, 0x10));
  h = mixv(h, _mm_aesenc_si128(x, text));
  h = mixv(h, _mm_aesenclast_si128(x, text));
  h = mixv(h, _mm_aesdec_si128(x, text));
  h = mixv(h, _mm_aesimc_si128(x));
  h = mixv(h, _mm_aeskeygenassist_si128(x, 0x1b));
  return h;
}

int main(void) {
  put("float_ops", float_ops());
  put("double_ops", double_ops());
  put("conversions", conversions());
  put("integer_ops", integer_ops());
  put("ssse3_sse41", ssse3_sse41());
  put("sse42_and_crypto", sse42_and_crypto());
  return 0;
}
