package io.portwatch.collector.rest;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Positive;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.ext.ParamConverter;
import jakarta.ws.rs.ext.ParamConverterProvider;
import jakarta.ws.rs.ext.Provider;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.function.Function;

/**
 * Converts typed query parameters ({@code Integer limit}, {@code Instant from}, {@code Protocol proto}
 * ...) with the rules of {@link Params}, so a value that does not convert is the same 400 problem
 * as before, naming the parameter and the rule ({@code limit "ten" must be an integer from 1 to
 * 1000}), not JAX-RS' bare 404. The range of an integer is read from the parameter's Bean
 * Validation annotations ({@code @Min}/{@code @Max}, {@code @Positive}), the one place it is
 * written; the OpenAPI document reads them too. A blank query parameter is an absent one (null).
 * A path id ({@code @PathParam("id") @ParamName("check id") @Positive Long}) is named by
 * {@link ParamName}.
 */
@Provider
public class TypedParams implements ParamConverterProvider {

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public <T> ParamConverter<T> getConverter(Class<T> rawType, Type genericType, Annotation[] annotations) {
        String name = name(annotations);
        if (name == null) {
            return null;
        }
        // A path segment is never absent: a blank one is a bad value, not a missing one.
        boolean blankIsAbsent = find(annotations, PathParam.class) == null;
        Function<String, ?> parse;
        if (rawType == Integer.class) {
            Min min = find(annotations, Min.class);
            Max max = find(annotations, Max.class);
            if (min == null || max == null) {
                return null;
            }
            parse = raw -> Params.integer(name, raw, (int) min.value(), (int) max.value());
        } else if (rawType == Long.class && find(annotations, Positive.class) != null) {
            parse = raw -> Params.id(name, raw);
        } else if (rawType == Boolean.class) {
            parse = raw -> Params.bool(name, raw);
        } else if (rawType == Instant.class) {
            parse = raw -> Params.instant(name, raw);
        } else if (rawType.isEnum()) {
            Class<? extends Enum> type = (Class<? extends Enum>) rawType;
            parse = raw -> Params.choice(name, raw, type);
        } else {
            return null;
        }
        return new ParamConverter<>() {
            @Override
            public T fromString(String raw) {
                if (raw == null || (blankIsAbsent && raw.isBlank())) {
                    return null;
                }
                try {
                    return rawType.cast(parse.apply(raw));
                } catch (ProblemException e) {
                    // A WebApplicationException: RESTEasy turns anything else a converter throws into a 404.
                    throw new BadRequestException(e.getMessage());
                }
            }

            @Override
            public String toString(T value) {
                return value == null ? null : value.toString();
            }
        };
    }

    private static String name(Annotation[] annotations) {
        ParamName named = find(annotations, ParamName.class);
        if (named != null) {
            return named.value();
        }
        QueryParam query = find(annotations, QueryParam.class);
        if (query != null) {
            return query.value();
        }
        PathParam path = find(annotations, PathParam.class);
        return path == null ? null : path.value();
    }

    private static <A extends Annotation> A find(Annotation[] annotations, Class<A> type) {
        for (Annotation a : annotations == null ? new Annotation[0] : annotations) {
            if (type.isInstance(a)) {
                return type.cast(a);
            }
        }
        return null;
    }
}
