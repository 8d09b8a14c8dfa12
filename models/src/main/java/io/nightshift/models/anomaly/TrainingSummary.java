package io.nightshift.models.anomaly;

import java.time.Instant;

/**
 * What a detector was trained on, for the model card.
 *
 * @param windowCount   number of training windows
 * @param trainingStart earliest {@code window_start}, null when the input had no window start column
 * @param trainingEnd   latest {@code window_start}, null likewise
 * @param selection     the k chosen and the silhouette of every candidate
 */
public record TrainingSummary(long windowCount, Instant trainingStart, Instant trainingEnd,
                              KSelection.Result selection) {
}
