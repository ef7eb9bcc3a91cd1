from ml_playground.core.tokenizer_protocol import Tokenizer

__all__ = ["Tokenizer"]
