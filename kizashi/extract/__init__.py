"""Claims from the analysed document: flows, events, figures, anomalies, by rules over the parse."""
