package io.portwatch.collector.rest;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The name a parameter goes by in problem details when its name in the path says too little:
 * {@code @PathParam("id") @ParamName("check id")} answers {@code check id "abc" is not a positive integer}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface ParamName {
    String value();
}
