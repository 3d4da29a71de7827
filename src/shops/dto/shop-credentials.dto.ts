import { IsBase64, IsBoolean, IsInt, IsNotEmpty, IsOptional, IsString, MaxLength, Min } from 'class-validator';

/** Keys entered by hand; tokens are optional (OAuth fills them in later). */
export class ShopCredentialsDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  appKey: string;
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  appSecret: string;
  /** Kuaishou's separate signing secret. */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  signSecret?: string;
  @IsOptional()
  @IsString()
  @MaxLength(16)
  signMethod?: string;
  /** Kuaishou's 消息私钥 from the app console: the Base64 AES key its pushes are encrypted with. */
  @IsOptional()
  @IsBase64()
  @MaxLength(64)
  pushKey?: string;
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2048)
  accessToken?: string;
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2048)
  refreshToken?: string;
  /** Seconds the entered access token still lives. */
  @IsOptional()
  @IsInt()
  @Min(1)
  expiresIn?: number;
  @IsOptional()
  @IsInt()
  @Min(1)
  refreshExpiresIn?: number;
  /** Taobao 服务市场 apps and Jushuitan self-developed apps may refresh; others must re-authorise. */
  @IsOptional()
  @IsBoolean()
  refreshable?: boolean;
}
