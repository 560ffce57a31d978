package org.ioreqsim.ioreq;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.Objects;
import java.util.function.Function;

/**
 * The answer to a modelled Xen operation: a value, or Xen's errno. Results cross actors as values;
 * no Xen error is ever an exception.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "result")
@JsonSubTypes({@JsonSubTypes.Type(value = Result.Ok.class, name = "ok"),
        @JsonSubTypes.Type(value = Result.Err.class, name = "err")})
public sealed interface Result<T> {

    /** Success, with the operation's output. */
    record Ok<T>(T value) implements Result<T> {
        public Ok {
            Objects.requireNonNull(value, "value");
        }
    }

    /** Failure with Xen's errno. */
    record Err<T>(Errno errno) implements Result<T> {
        public Err {
            Objects.requireNonNull(errno, "errno");
        }
    }

    static <T> Result<T> ok(T value) {
        return new Ok<>(value);
    }

    static <T> Result<T> err(Errno errno) {
        return new Err<>(errno);
    }

    default boolean isOk() {
        return this instanceof Ok;
    }

    /** The value of an {@link Ok}; throws for an {@link Err} (a programming error in the caller). */
    default T value() {
        if (this instanceof Ok<T> ok) {
            return ok.value();
        }
        throw new IllegalStateException("no value: " + describe());
    }

    /** The errno of an {@link Err}, or {@code null} for {@link Ok}. */
    default Errno errnoOrNull() {
        return this instanceof Err<T> err ? err.errno() : null;
    }

    /** 0 for success, else Xen's negative return code. */
    default int code() {
        return this instanceof Err<T> err ? err.errno().code() : 0;
    }

    /** {@code "0"} or {@code "-22 EINVAL"}. */
    default String describe() {
        return this instanceof Err<T> err ? err.errno().describe() : "0";
    }

    default <U> Result<U> map(Function<? super T, ? extends U> f) {
        if (this instanceof Ok<T> ok) {
            return new Ok<>(f.apply(ok.value()));
        }
        return new Err<>(errnoOrNull());
    }

    /** Continues with {@code f} on success; an error passes through unchanged (Xen's "goto out"). */
    default <U> Result<U> then(Function<? super T, Result<U>> f) {
        if (this instanceof Ok<T> ok) {
            return f.apply(ok.value());
        }
        return new Err<>(errnoOrNull());
    }
}
