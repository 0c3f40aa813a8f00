package dev.meterflow.worker.config;

import dev.meterflow.config.AppConfig.ConfigException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The gateway's base URL and key checked together at start-up, not at the first charge: an ill-formed URL,
 * or a live key sent anywhere but to Stripe (the simulator, a typo'd host), stops the worker with one line.
 */
public final class GatewayEndpoint {

    /** Stripe's API host: the only place a live key may go. */
    public static final String STRIPE_HOST = "api.stripe.com";

    private GatewayEndpoint() {
    }

    /** {@code value} as an absolute http(s) URL with a host and no query, without a trailing slash. */
    public static String baseUrl(String key, String value) {
        String url = value == null ? "" : value.strip();
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null
                    || uri.getQuery() != null || uri.getFragment() != null) {
                throw new ConfigException(key + " must be an http(s) URL with a host, such as https://" + STRIPE_HOST
                        + ", was '" + url + "'");
            }
        } catch (URISyntaxException e) {
            throw new ConfigException(key + " is not a URL: '" + url + "' (" + e.getReason() + ")");
        }
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** The key, unless it is a live one and the URL is not Stripe's over https. */
    public static String requireKeyFitsUrl(String apiKey, String baseUrl) {
        boolean live = apiKey.startsWith("sk_live_") || apiKey.startsWith("rk_live_");
        URI uri = URI.create(baseUrl);
        boolean stripe = "https".equalsIgnoreCase(uri.getScheme()) && STRIPE_HOST.equalsIgnoreCase(uri.getHost());
        if (live && !stripe) {
            throw new ConfigException("meterflow.gateway.api-key is a live key, but meterflow.gateway.base-url '"
                    + baseUrl + "' is not https://" + STRIPE_HOST + "; a live key is only ever sent to Stripe");
        }
        return apiKey;
    }
}
