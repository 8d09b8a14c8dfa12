package io.nightshift.jobs.cli;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;

import picocli.CommandLine;

/** Parses YYYY-MM-DD, with a message that says which format is expected. */
public final class DateConverter implements CommandLine.ITypeConverter<LocalDate> {
    @Override
    public LocalDate convert(String value) {
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a date in YYYY-MM-DD form");
        }
    }
}
