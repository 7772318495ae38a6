package dev.peak.driver.lab;

import java.util.function.Function;

import dev.peak.driver.experiment.Platform;
import dev.peak.driver.experiment.Profile;
import dev.peak.driver.lab.proxy.BalancePolicy;
import dev.peak.driver.variant.Variant;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * picocli converters for the options that take one of the suite's names ({@code --variant ri1-peak}, where picocli's
 * own enum conversion would want {@code RI1_PEAK}); a wrong name is a usage error whose message lists the right ones.
 */
public final class OptionConverters {

    private OptionConverters() {
    }

    private abstract static class ByName<T> implements ITypeConverter<T> {

        private final Function<String, T> byName;

        ByName(Function<String, T> byName) {
            this.byName = byName;
        }

        @Override
        public T convert(String value) {
            try {
                return byName.apply(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    public static final class VariantName extends ByName<Variant> {
        public VariantName() {
            super(Variant::of);
        }
    }

    public static final class BalanceName extends ByName<BalancePolicy> {
        public BalanceName() {
            super(BalancePolicy::of);
        }
    }

    public static final class ProfileName extends ByName<Profile> {
        public ProfileName() {
            super(Profile::of);
        }
    }

    public static final class PlatformName extends ByName<Platform.Kind> {
        public PlatformName() {
            super(Platform.Kind::of);
        }
    }
}
