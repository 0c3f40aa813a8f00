package dev.meterflow.api.page;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Issue 12: the sign-in form's CSRF token, a signed cookie value and its hidden field. */
class SignInTokensTest {

    private final SignInTokens tokens = new SignInTokens(key(1));

    @Test
    void shouldAcceptTheFieldSignedForTheCookie() {
        String cookie = SignInTokens.newCookieValue();

        assertThat(tokens.matches(cookie, tokens.field(cookie))).isTrue();
    }

    @Test
    void shouldRefuseAFormWithoutItsFieldOrCookie() {
        String cookie = SignInTokens.newCookieValue();

        assertThat(tokens.matches(cookie, null)).isFalse();
        assertThat(tokens.matches(cookie, "")).isFalse();
        assertThat(tokens.matches(null, tokens.field(cookie))).isFalse();
    }

    @Test
    void shouldRefuseTheFieldOfAnotherCookie() {
        String mine = SignInTokens.newCookieValue();
        String planted = SignInTokens.newCookieValue();

        assertThat(tokens.matches(planted, tokens.field(mine))).isFalse();
    }

    @Test
    void shouldRefuseAFieldSignedWithAnotherKey() {
        String cookie = SignInTokens.newCookieValue();
        SignInTokens another = new SignInTokens(key(2));

        assertThat(tokens.matches(cookie, another.field(cookie))).isFalse();
    }

    @Test
    void shouldRefuseACookieValueThePageCouldNotHaveMade() {
        String odd = "x; Path=/";

        assertThat(SignInTokens.wellFormed(odd)).isFalse();
        assertThat(tokens.matches(odd, tokens.field(odd))).isFalse();
        assertThat(SignInTokens.wellFormed(SignInTokens.newCookieValue())).isTrue();
    }

    @Test
    void shouldRefuseAShortKey() {
        assertThatThrownBy(() -> new SignInTokens(new byte[16])).hasMessageContaining("at least 32 bytes");
    }

    private static byte[] key(int fill) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) fill);
        return key;
    }
}
